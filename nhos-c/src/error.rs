//! `nhos_error` and `nhos_code`.

use std::ffi::CString;

/// What kind of failure an `nhos_error` is. Returned, never passed in, so a C enum
/// is safe here; new codes may be added (treat unknown codes as failures).
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(non_camel_case_types)]
pub enum nhos_code {
    /// Not an error (what `nhos_error_code(NULL)` returns).
    Ok = 0,
    /// Reading or writing a file failed.
    Io = 1,
    /// The estate definition has errors (the message names the first).
    Load = 2,
    /// An edit could not be applied.
    Edit = 3,
    /// The flake could not be generated or written.
    Generate = 4,
    /// A git revision could not be read.
    Git = 5,
    /// An argument was invalid (unknown profile, bad date).
    Usage = 6,
    /// A required pointer argument was NULL.
    NullArgument = 7,
    /// A string argument was not UTF-8.
    InvalidUtf8 = 8,
    /// nhos panicked (a bug); the state of the library is still sound.
    Panic = 9,
    /// Generation was refused because error-level findings remain (the message
    /// lists them); fix or waive them, or pass `allow_findings`.
    Findings = 10,
}

/// An error: a code and a message.
#[allow(non_camel_case_types)]
pub struct nhos_error {
    pub(crate) code: nhos_code,
    pub(crate) message: CString,
    pub(crate) diagnostics_json: CString,
}

impl nhos_error {
    pub(crate) fn new(code: nhos_code, message: impl Into<String>) -> Self {
        let m = message.into().replace('\0', " ");
        nhos_error {
            code,
            message: CString::new(m).unwrap_or_default(),
            diagnostics_json: CString::default(),
        }
    }
}

impl From<nhos_core::Error> for nhos_error {
    fn from(e: nhos_core::Error) -> Self {
        use nhos_core::ErrorKind as K;
        let code = match e.kind() {
            K::Io => nhos_code::Io,
            K::Load => nhos_code::Load,
            K::Edit => nhos_code::Edit,
            K::Generate => nhos_code::Generate,
            K::Findings => nhos_code::Findings,
            K::Git => nhos_code::Git,
            _ => nhos_code::Usage,
        };
        // The message alone: the code says the kind, as for every other error.
        let mut err = nhos_error::new(code, e.message());
        let json = serde_json::to_string(e.diagnostics())
            .unwrap_or_default()
            .replace('\0', " ");
        err.diagnostics_json = CString::new(json).unwrap_or_default();
        err
    }
}

pub(crate) type Result<T> = std::result::Result<T, nhos_error>;
