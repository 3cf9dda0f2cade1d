//! The one place that touches raw pointers. Every exported function funnels its
//! arguments through these helpers inside [`guard`], which also catches panics.
#![allow(unsafe_code)]

use crate::error::{Result, nhos_code, nhos_error};
use std::ffi::{CStr, CString, c_char};
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Runs `f`; returns NULL on success, a boxed error on failure or panic.
pub(crate) fn guard(f: impl FnOnce() -> Result<()>) -> *mut nhos_error {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => std::ptr::null_mut(),
        Ok(Err(e)) => Box::into_raw(Box::new(e)),
        Err(payload) => {
            let what = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            Box::into_raw(Box::new(nhos_error::new(
                nhos_code::Panic,
                format!("nhos panicked (a bug; please report it): {what}"),
            )))
        }
    }
}

/// Runs an infallible body; a panic yields `default`.
pub(crate) fn guard_or<T>(default: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(default)
}

fn null(name: &str) -> nhos_error {
    nhos_error::new(nhos_code::NullArgument, format!("`{name}` is NULL"))
}

/// A required string argument.
pub(crate) fn str_arg<'a>(p: *const c_char, name: &str) -> Result<&'a str> {
    if p.is_null() {
        return Err(null(name));
    }
    // SAFETY: the caller promises a NUL-terminated string that outlives the call.
    let s = unsafe { CStr::from_ptr(p) };
    s.to_str()
        .map_err(|_| nhos_error::new(nhos_code::InvalidUtf8, format!("`{name}` is not UTF-8")))
}

/// An optional string argument (NULL = none).
pub(crate) fn opt_str_arg<'a>(p: *const c_char, name: &str) -> Result<Option<&'a str>> {
    if p.is_null() {
        Ok(None)
    } else {
        str_arg(p, name).map(Some)
    }
}

/// A required handle argument.
pub(crate) fn ref_arg<'a, T>(p: *const T, name: &str) -> Result<&'a T> {
    // SAFETY: the caller promises a live handle from this library (or NULL).
    unsafe { p.as_ref() }.ok_or_else(|| null(name))
}

/// Checks an out-parameter; the value is written with [`write_out`] on success.
pub(crate) fn out_arg<T>(p: *mut T, name: &str) -> Result<*mut T> {
    if p.is_null() { Err(null(name)) } else { Ok(p) }
}

/// Writes a result to a checked out-parameter.
pub(crate) fn write_out<T>(p: *mut T, value: T) {
    // SAFETY: `p` was checked non-null by `out_arg`; the caller owns the slot.
    unsafe { p.write(value) }
}

/// Moves a value to the heap and hands ownership to C.
pub(crate) fn into_handle<T>(value: T) -> *mut T {
    Box::into_raw(Box::new(value))
}

/// Takes back and drops a handle (NULL is fine).
pub(crate) fn free_handle<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: `p` came from `into_handle` and is freed once, as the contract says.
        drop(unsafe { Box::from_raw(p) });
    }
}

/// An owned C string for the caller (NUL bytes inside are replaced by spaces).
pub(crate) fn into_c_string(s: String) -> *mut c_char {
    CString::new(s.replace('\0', " "))
        .unwrap_or_default()
        .into_raw()
}

/// Frees a string from [`into_c_string`] (NULL is fine).
pub(crate) fn free_c_string(p: *mut c_char) {
    if !p.is_null() {
        // SAFETY: `p` came from `CString::into_raw` in this library.
        drop(unsafe { CString::from_raw(p) });
    }
}

/// An array of `len` strings (NULL is fine when `len` is 0).
pub(crate) fn str_array_arg<'a>(
    p: *const *const c_char,
    len: usize,
    name: &str,
) -> Result<Vec<&'a str>> {
    if len == 0 {
        return Ok(Vec::new());
    }
    if p.is_null() {
        return Err(null(name));
    }
    // SAFETY: the caller promises `len` readable pointers at `p` for the call.
    let items = unsafe { std::slice::from_raw_parts(p, len) };
    items
        .iter()
        .enumerate()
        .map(|(i, s)| str_arg(*s, &format!("{name}[{i}]")))
        .collect()
}

/// The `size` field that opens every caller-allocated struct (its first member).
pub(crate) fn struct_size<T>(p: *const T, name: &str) -> Result<u32> {
    if p.is_null() {
        return Err(null(name));
    }
    // SAFETY: every versioned struct starts with `uint32_t size`, which the caller
    // sets to `sizeof` the struct it was compiled with (NHOS_*_INIT does).
    Ok(unsafe { (p as *const u32).read() })
}

/// Checks a caller-allocated struct's `size`: at least the first version's size.
pub(crate) fn sized_arg<T>(p: *const T, name: &str, first_version: usize) -> Result<u32> {
    let size = struct_size(p, name)?;
    if (size as usize) < first_version {
        return Err(nhos_error::new(
            nhos_code::Usage,
            format!(
                "`{name}->size` is {size}; set it to sizeof the struct (initialise it with its NHOS_*_INIT macro)"
            ),
        ));
    }
    Ok(size)
}

/// Writes `value` into a caller-allocated versioned struct, no more than `size`
/// bytes of it (a caller built against an older header gets the fields it knows),
/// and sets `size` to what was written.
pub(crate) fn write_sized<T>(p: *mut T, value: T, size: u32) {
    let n = (size as usize).min(std::mem::size_of::<T>());
    // SAFETY: `p` was checked by `sized_arg`; the caller's struct has `size` bytes,
    // and no more than `n` of them are written. The value is then forgotten: its
    // fields are borrowed pointers and plain numbers, nothing to drop.
    unsafe {
        std::ptr::copy_nonoverlapping(&value as *const T as *const u8, p as *mut u8, n);
        (p as *mut u32).write(n as u32);
    }
    std::mem::forget(value);
}

/// Reads a caller-allocated options struct, of which only `size` bytes exist, into
/// a full one whose missing (newer) fields keep their defaults.
pub(crate) fn read_sized<T: Copy>(p: *const T, size: u32, defaults: T) -> T {
    let mut value = defaults;
    let n = (size as usize).min(std::mem::size_of::<T>());
    // SAFETY: the caller's struct has `size` bytes (checked by `sized_arg`).
    unsafe {
        std::ptr::copy_nonoverlapping(p as *const u8, &mut value as *mut T as *mut u8, n);
    }
    value
}
