/* The closure verbs through the C API, for tests/c/closure_parity.py:
 *   closure OUT_DIR ESTATE_DIR OLD NEW OLD_PACKAGES NEW_PACKAGES ADVISORIES
 * writes OUT_DIR/diff.json, diff.txt, diff.md (old vs new), why.json (openssl in
 * the old clinical system), sbom-closure.json (the new system, with VEX from the
 * advisories, judged on 2024-06-01), sbom-definition.json, and checks that bad
 * arguments are errors, not crashes. The store is the environment's
 * (NIX_STORE_DIR, NIX_STATE_DIR). Exit 0 when every call behaved. */
#include "nhos.h"

#include <stdio.h>
#include <string.h>

static int write_file(const char *dir, const char *name, const char *text) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "w");
  if (!f) return 1;
  fputs(text, f);
  return fclose(f) != 0;
}

static int check(nhos_error *err, const char *what) {
  if (!err) return 0;
  fprintf(stderr, "%s: %s\n", what, nhos_error_message(err));
  nhos_error_free(err);
  return 1;
}

/* The call must fail with `code`. */
static int expect(nhos_error *err, nhos_code code, const char *what) {
  if (!err) {
    fprintf(stderr, "%s: succeeded, expected an error\n", what);
    return 1;
  }
  int bad = nhos_error_code(err) != code;
  if (bad) fprintf(stderr, "%s: code %d (%s)\n", what, (int)nhos_error_code(err), nhos_error_message(err));
  nhos_error_free(err);
  return bad;
}

int main(int argc, char **argv) {
  if (argc != 8) return 2;
  const char *out = argv[1], *dir = argv[2], *old = argv[3], *new_ = argv[4];
  const char *old_packages = argv[5], *new_packages = argv[6], *advisories = argv[7];
  int failed = 0;
  const nhos_closure_format formats[] = {NHOS_CLOSURE_FORMAT_JSON, NHOS_CLOSURE_FORMAT_TEXT,
                                         NHOS_CLOSURE_FORMAT_MARKDOWN};
  const char *names[] = {"diff.json", "diff.txt", "diff.md"};
  for (int i = 0; i < 3; i++) {
    char *text = NULL;
    if (check(nhos_closure_diff(old, new_, NULL, formats[i], &text), "nhos_closure_diff")) return 1;
    failed |= write_file(out, names[i], text);
    nhos_string_free(text);
  }
  char *text = NULL;
  failed |= expect(nhos_closure_diff(old, new_, NULL, 7, &text), NHOS_CODE_USAGE, "unknown format");
  failed |= expect(nhos_closure_diff(NULL, new_, NULL, 0, &text), NHOS_CODE_NULL_ARGUMENT, "NULL old");
  failed |= expect(nhos_closure_diff(dir, new_, NULL, 0, &text), NHOS_CODE_USAGE, "not a closure");

  nhos_estate *estate = NULL;
  if (check(nhos_estate_load(dir, &estate), "nhos_estate_load")) return 1;
  if (check(nhos_estate_why(estate, "clinical", "openssl", old, old_packages, NULL, &text), "nhos_estate_why"))
    return 1;
  failed |= write_file(out, "why.json", text);
  nhos_string_free(text);
  failed |= expect(nhos_estate_why(estate, "clinicl", "openssl", old, old_packages, NULL, &text), NHOS_CODE_USAGE,
                   "unknown profile");

  const char *feeds[] = {advisories};
  nhos_evidence ev = NHOS_EVIDENCE_INIT;
  ev.closure = new_;
  ev.packages = new_packages;
  ev.advisories = feeds;
  ev.advisories_len = 1;
  ev.today = "2024-06-01";
  ev.dir = dir;
  if (check(nhos_estate_sbom(estate, "clinical", &ev, &text), "nhos_estate_sbom")) return 1;
  failed |= write_file(out, "sbom-closure.json", text);
  nhos_string_free(text);
  if (check(nhos_estate_sbom(estate, "clinical", NULL, &text), "nhos_estate_sbom (definition)")) return 1;
  failed |= write_file(out, "sbom-definition.json", text);
  nhos_string_free(text);
  nhos_evidence half = NHOS_EVIDENCE_INIT;
  half.closure = new_;
  failed |= expect(nhos_estate_sbom(estate, "clinical", &half, &text), NHOS_CODE_USAGE, "closure without packages");
  nhos_evidence unsized = NHOS_EVIDENCE_INIT;
  unsized.size = 3;
  failed |= expect(nhos_estate_sbom(estate, "clinical", &unsized, &text), NHOS_CODE_USAGE, "size not set");
  nhos_estate_free(estate);
  return failed;
}
