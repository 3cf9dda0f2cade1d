/* The C contract of libnhos: the happy path of every verb, NULL for every pointer
 * argument, free(NULL), every error code, and a panic turned into NHOS_CODE_PANIC.
 * Usage: test_api REPO_ROOT SCRATCH_DIR (SCRATCH_DIR holds a writable copy of the
 * example estate in SCRATCH_DIR/estate). */
#include "nhos.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures = 0;
static int checks = 0;

#define CHECK(cond)                                                          \
  do {                                                                       \
    checks++;                                                                \
    if (!(cond)) {                                                           \
      failures++;                                                            \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                        \
  } while (0)

/* Checks that `err` has `code`, then frees it. */
static void expect(nhos_error *err, nhos_code code, const char *what) {
  checks++;
  if (nhos_error_code(err) != code) {
    failures++;
    fprintf(stderr, "%s: expected code %d, got %d (%s)\n", what, (int)code, (int)nhos_error_code(err), nhos_error_message(err));
  }
  nhos_error_free(err);
}

static char *join(const char *a, const char *b) {
  size_t n = strlen(a) + strlen(b) + 2;
  char *s = malloc(n);
  snprintf(s, n, "%s/%s", a, b);
  return s;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s REPO_ROOT SCRATCH_DIR\n", argv[0]);
    return 2;
  }
  char *example = join(argv[1], "examples/example-valley");
  char *bad = join(argv[1], "tests/corpus/load-unknown-parent");
  char *scratch_estate = join(argv[2], "estate");
  char *flake = join(argv[2], "flake");
  char *foreign = join(argv[2], "foreign");
  const char *today = "2026-11-23";

  CHECK(strcmp(nhos_version(), "0.1.0") == 0);

  /* load */
  nhos_estate *estate = NULL;
  expect(nhos_estate_load(example, &estate), NHOS_CODE_OK, "load example");
  CHECK(estate != NULL);
  char *names = NULL;
  expect(nhos_estate_profiles_json(estate, &names), NHOS_CODE_OK, "profiles");
  CHECK(names && strstr(names, "\"clinical\"") != NULL);
  nhos_string_free(names);

  /* validate: findings are data */
  nhos_report *report = NULL;
  expect(nhos_estate_validate(estate, today, &report), NHOS_CODE_OK, "validate");
  size_t n = nhos_report_len(report);
  CHECK(n > 0);
  int waived = 0;
  for (size_t i = 0; i < n; i++) {
    nhos_finding f;
    expect(nhos_report_get(report, i, &f), NHOS_CODE_OK, "report_get");
    CHECK(f.rule && f.severity && f.status && f.message && f.fingerprint);
    if (strcmp(f.status, "waived") == 0) {
      waived++;
      CHECK(f.waiver != NULL && f.profile != NULL && (strcmp(f.profile, "kiosk") == 0 || strcmp(f.profile, "dr") == 0));
      CHECK(f.file != NULL && f.line > 0);
    }
  }
  CHECK(waived == 4);
  CHECK(!nhos_report_fails(report));
  CHECK(strncmp(nhos_report_json(report), "{", 1) == 0);
  CHECK(strstr(nhos_report_json(report), "\"schema\": \"nhos-report/1\"") != NULL);
  char *sarif = NULL;
  expect(nhos_report_sarif(report, &sarif), NHOS_CODE_OK, "sarif");
  CHECK(sarif && strstr(sarif, "\"version\": \"2.1.0\"") != NULL);
  nhos_string_free(sarif);
  nhos_finding out_of_range;
  expect(nhos_report_get(report, n, &out_of_range), NHOS_CODE_USAGE, "index out of range");

  /* plan */
  nhos_plan *plan = NULL;
  expect(nhos_plan_new(estate, estate, today, true, &plan), NHOS_CODE_OK, "plan");
  CHECK(nhos_plan_is_empty(plan));
  CHECK(strstr(nhos_plan_json(plan), "nhos-plan/1") != NULL);
  nhos_plan_free(plan);

  /* explain */
  char *why = NULL;
  expect(nhos_estate_explain(estate, "clinical", "opensc", &why), NHOS_CODE_OK, "explain");
  CHECK(why && strstr(why, "\"kind\":\"package\"") != NULL);
  nhos_string_free(why);
  expect(nhos_estate_explain(estate, "clinical", "opnsc", &why), NHOS_CODE_USAGE, "explain unknown");

  /* generate */
  char *listing = NULL;
  expect(nhos_estate_generate(estate, flake, today, false, false, &listing), NHOS_CODE_OK, "generate");
  CHECK(listing && strstr(listing, "flake.nix") != NULL);
  nhos_string_free(listing);
  expect(nhos_estate_generate(estate, flake, today, true, false, &listing), NHOS_CODE_OK, "generate --check");
  CHECK(listing && strlen(listing) == 0);
  nhos_string_free(listing);
  expect(nhos_estate_generate(estate, foreign, today, false, false, &listing), NHOS_CODE_GENERATE, "foreign directory refused");

  /* edit (on the scratch copy) */
  char *diff = NULL;
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_ADD_PACKAGE, "clinical", "keepassxc", NULL, true, false, today, &diff), NHOS_CODE_OK, "edit dry run");
  CHECK(diff && strstr(diff, "+add = [\"keepassxc\"]") != NULL);
  nhos_string_free(diff);
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_SET_SETTING, "clinical", "screen.idle-delay", "240", false, false, today, &diff), NHOS_CODE_OK, "edit");
  nhos_string_free(diff);
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_ADD_CAPABILITY, "admin", "vpm", NULL, false, false, today, &diff), NHOS_CODE_EDIT, "edit unknown capability");
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_SET_SETTING, "admin", "screen.idle-delay", NULL, false, false, today, &diff), NHOS_CODE_NULL_ARGUMENT, "edit without value");

  /* generate refuses while error-level findings remain, unless allowed */
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_SET_SETTING, "clinical", "screen.idle-delay", "3600", false, false, today, &diff), NHOS_CODE_EDIT, "edit adding a finding refused");
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_SET_SETTING, "clinical", "screen.idle-delay", "3600", false, true, today, &diff), NHOS_CODE_OK, "edit adding a finding, allowed");
  nhos_string_free(diff);
  nhos_estate *lax = NULL;
  expect(nhos_estate_load(scratch_estate, &lax), NHOS_CODE_OK, "load the edited copy");
  nhos_error *refused = nhos_estate_generate(lax, flake, today, true, false, &listing);
  CHECK(nhos_error_code(refused) == NHOS_CODE_FINDINGS);
  CHECK(strstr(nhos_error_message(refused), "R5 clinical") != NULL);
  nhos_error_free(refused);
  char *lax_flake = join(argv[2], "lax-flake");
  expect(nhos_estate_generate(lax, lax_flake, today, false, true, &listing), NHOS_CODE_OK, "generate with allow_findings");
  nhos_string_free(listing);
  nhos_estate_free(lax);
  free(lax_flake);

  /* every error code */
  nhos_estate *other = NULL;
  nhos_error *err = nhos_estate_load(bad, &other);
  CHECK(nhos_error_code(err) == NHOS_CODE_LOAD);
  CHECK(strstr(nhos_error_diagnostics_json(err), "NHOS110") != NULL);
  CHECK(strstr(nhos_error_message(err), "bsae") != NULL);
  nhos_error_free(err);
  CHECK(other == NULL); /* out-parameters are written only on success */
  expect(nhos_estate_load("/nonexistent/estate", &other), NHOS_CODE_IO, "io");
  expect(nhos_estate_load_git(argv[2], "HEAD", &other), NHOS_CODE_GIT, "git");
  expect(nhos_estate_validate(estate, "2026-13-01", &report), NHOS_CODE_USAGE, "bad date");
  const char bad_utf8[] = {(char)0xff, (char)0xfe, 0};
  expect(nhos_estate_load(bad_utf8, &other), NHOS_CODE_INVALID_UTF8, "invalid utf-8");
  expect(nhos_debug_panic(), NHOS_CODE_PANIC, "panic");

  /* NULL for every pointer argument */
  expect(nhos_estate_load(NULL, &other), NHOS_CODE_NULL_ARGUMENT, "load path");
  expect(nhos_estate_load(example, NULL), NHOS_CODE_NULL_ARGUMENT, "load out");
  expect(nhos_estate_load_git(NULL, "HEAD", &other), NHOS_CODE_NULL_ARGUMENT, "load_git path");
  expect(nhos_estate_load_git(example, NULL, &other), NHOS_CODE_NULL_ARGUMENT, "load_git rev");
  expect(nhos_estate_load_git(example, "HEAD", NULL), NHOS_CODE_NULL_ARGUMENT, "load_git out");
  expect(nhos_estate_profiles_json(NULL, &names), NHOS_CODE_NULL_ARGUMENT, "profiles estate");
  expect(nhos_estate_profiles_json(estate, NULL), NHOS_CODE_NULL_ARGUMENT, "profiles out");
  nhos_report *r2 = NULL;
  expect(nhos_estate_validate(NULL, today, &r2), NHOS_CODE_NULL_ARGUMENT, "validate estate");
  expect(nhos_estate_validate(estate, today, NULL), NHOS_CODE_NULL_ARGUMENT, "validate out");
  expect(nhos_estate_validate(estate, NULL, &r2), NHOS_CODE_OK, "validate with the system date");
  nhos_report_free(r2);
  nhos_finding f;
  expect(nhos_report_get(NULL, 0, &f), NHOS_CODE_NULL_ARGUMENT, "get report");
  expect(nhos_report_get(report, 0, NULL), NHOS_CODE_NULL_ARGUMENT, "get out");
  expect(nhos_report_sarif(NULL, &sarif), NHOS_CODE_NULL_ARGUMENT, "sarif report");
  expect(nhos_report_sarif(report, NULL), NHOS_CODE_NULL_ARGUMENT, "sarif out");
  CHECK(nhos_report_len(NULL) == 0);
  CHECK(!nhos_report_fails(NULL));
  CHECK(strcmp(nhos_report_json(NULL), "") == 0);
  expect(nhos_plan_new(NULL, estate, today, false, &plan), NHOS_CODE_NULL_ARGUMENT, "plan old");
  expect(nhos_plan_new(estate, NULL, today, false, &plan), NHOS_CODE_NULL_ARGUMENT, "plan new");
  expect(nhos_plan_new(estate, estate, today, false, NULL), NHOS_CODE_NULL_ARGUMENT, "plan out");
  CHECK(nhos_plan_is_empty(NULL));
  CHECK(strcmp(nhos_plan_json(NULL), "") == 0);
  expect(nhos_estate_explain(NULL, "a", "b", &why), NHOS_CODE_NULL_ARGUMENT, "explain estate");
  expect(nhos_estate_explain(estate, NULL, "b", &why), NHOS_CODE_NULL_ARGUMENT, "explain profile");
  expect(nhos_estate_explain(estate, "a", NULL, &why), NHOS_CODE_NULL_ARGUMENT, "explain item");
  expect(nhos_estate_explain(estate, "a", "b", NULL), NHOS_CODE_NULL_ARGUMENT, "explain out");
  expect(nhos_estate_generate(NULL, flake, today, true, false, &listing), NHOS_CODE_NULL_ARGUMENT, "generate estate");
  expect(nhos_estate_generate(estate, NULL, today, true, false, &listing), NHOS_CODE_NULL_ARGUMENT, "generate dir");
  expect(nhos_estate_generate(estate, flake, today, true, false, NULL), NHOS_CODE_NULL_ARGUMENT, "generate out");
  expect(nhos_edit(NULL, NHOS_EDIT_OP_ADD_PACKAGE, "a", "b", NULL, true, false, today, &diff), NHOS_CODE_NULL_ARGUMENT, "edit dir");
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_ADD_PACKAGE, NULL, "b", NULL, true, false, today, &diff), NHOS_CODE_NULL_ARGUMENT, "edit a");
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_ADD_PACKAGE, "a", NULL, NULL, true, false, today, &diff), NHOS_CODE_NULL_ARGUMENT, "edit b");
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_ADD_PACKAGE, "clinical", "htop", NULL, true, false, today, NULL), NHOS_CODE_NULL_ARGUMENT, "edit out");
  double secs = 0;
  expect(nhos_bench_rust(NULL, today, 1, &secs), NHOS_CODE_NULL_ARGUMENT, "bench path");
  expect(nhos_bench_rust(example, today, 1, NULL), NHOS_CODE_NULL_ARGUMENT, "bench out");
  CHECK(nhos_error_code(NULL) == NHOS_CODE_OK);
  CHECK(strcmp(nhos_error_message(NULL), "") == 0);
  CHECK(strcmp(nhos_error_diagnostics_json(NULL), "") == 0);

  /* free(NULL) is fine for every type */
  nhos_estate_free(NULL);
  nhos_report_free(NULL);
  nhos_plan_free(NULL);
  nhos_error_free(NULL);
  nhos_string_free(NULL);

  nhos_report_free(report);
  nhos_estate_free(estate);
  free(example);
  free(bad);
  free(scratch_estate);
  free(flake);
  free(foreign);
  printf("%d passed, %d failed\n", checks - failures, failures);
  return failures == 0 ? 0 : 1;
}
