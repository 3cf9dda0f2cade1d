/* The C contract of libnhos: the happy path of every verb, NULL for every pointer
 * argument, free(NULL), every error code, a panic turned into NHOS_CODE_PANIC,
 * out-of-range enumerations, versioned structs, fail-closed answers, and four
 * threads at once. Built with -DNHOS_TEST_HOOKS against a test-hooks build.
 * Usage: test_api REPO_ROOT SCRATCH_DIR (SCRATCH_DIR holds a writable copy of the
 * example estate in SCRATCH_DIR/estate). */
#include "nhos.h"

#include <pthread.h>
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

/* Four threads each load and validate the example at once. */
static const char *thread_example;
static void *validate_in_thread(void *arg) {
  (void)arg;
  nhos_estate *e = NULL;
  nhos_report *r = NULL;
  long ok = nhos_estate_load(thread_example, &e) == NULL && nhos_estate_validate(e, "2026-11-23", &r) == NULL &&
            !nhos_report_fails(r) && nhos_report_len(r) > 0;
  nhos_report_free(r);
  nhos_estate_free(e);
  return (void *)ok;
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
  CHECK(NHOS_VERSION_CHECK());
  CHECK(!nhos_version_check(NHOS_VERSION_MAJOR + 1, 0, 0));
  /* The pool is not started yet: the thread count may be set, once. */
  expect(nhos_set_threads(2), NHOS_CODE_OK, "set threads before the pool starts");

  /* load */
  nhos_estate *estate = NULL;
  expect(nhos_estate_load(example, &estate), NHOS_CODE_OK, "load example");
  CHECK(estate != NULL);
  expect(nhos_set_threads(4), NHOS_CODE_USAGE, "set threads after the pool started");
  CHECK(strcmp(nhos_estate_ods_code(estate), "RXX") == 0);
  CHECK(strstr(nhos_estate_organisation(estate), "Valley") != NULL);
  CHECK(strlen(nhos_estate_release(estate)) > 0 && strlen(nhos_estate_definition_hash(estate)) > 0);
  char *pj = NULL;
  expect(nhos_estate_profile_json(estate, "clinical", &pj), NHOS_CODE_OK, "profile json");
  CHECK(pj && strstr(pj, "\"opensc\"") != NULL && strstr(pj, "profiles/") != NULL); /* with provenance */
  nhos_string_free(pj);
  nhos_error *unknown = nhos_estate_profile_json(estate, "clinicl", &pj);
  CHECK(nhos_error_code(unknown) == NHOS_CODE_USAGE && strstr(nhos_error_message(unknown), "did you mean `clinical`") != NULL);
  nhos_error_free(unknown);
  expect(nhos_estate_warnings_json(estate, &pj), NHOS_CODE_OK, "warnings json");
  CHECK(pj && pj[0] == '[');
  nhos_string_free(pj);
  expect(nhos_estate_json(estate, &pj), NHOS_CODE_OK, "estate json");
  CHECK(pj && strstr(pj, "\"clinical\"") != NULL);
  nhos_string_free(pj);
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
    nhos_finding f = NHOS_FINDING_INIT;
    expect(nhos_report_get(report, i, &f), NHOS_CODE_OK, "report_get");
    CHECK(f.size == sizeof f);
    CHECK(f.rule && f.title && f.severity && f.status && f.message && f.remediation && f.fingerprint);
    if (strcmp(f.status, "waived") == 0) {
      waived++;
      CHECK(f.waiver != NULL && f.profile != NULL && (strcmp(f.profile, "kiosk") == 0 || strcmp(f.profile, "dr") == 0));
      CHECK(f.file != NULL && f.line > 0);
    }
  }
  CHECK(waived == 4);
  CHECK(!nhos_report_fails(report));
  nhos_summary sum = NHOS_SUMMARY_INIT;
  expect(nhos_report_summary(report, &sum), NHOS_CODE_OK, "summary");
  CHECK(sum.errors == 0 && sum.waived == 4 && sum.new_findings == -1);
  CHECK(strcmp(nhos_report_today(report), today) == 0);
  char *text = NULL;
  expect(nhos_report_text(report, &text), NHOS_CODE_OK, "report text");
  CHECK(text && strstr(text, "waived") != NULL);
  nhos_string_free(text);
  expect(nhos_report_junit(report, &text), NHOS_CODE_OK, "report junit");
  CHECK(text && strstr(text, "<testsuites") != NULL);
  nhos_string_free(text);
  nhos_report *again = NULL, *ratcheted = NULL;
  expect(nhos_report_from_json(nhos_report_json(report), &again), NHOS_CODE_OK, "report from json");
  CHECK(nhos_report_len(again) == n);
  expect(nhos_report_ratchet(report, again, &ratcheted), NHOS_CODE_OK, "ratchet");
  nhos_summary rsum = NHOS_SUMMARY_INIT;
  expect(nhos_report_summary(ratcheted, &rsum), NHOS_CODE_OK, "ratcheted summary");
  CHECK(rsum.new_findings == 0);
  nhos_finding rf = NHOS_FINDING_INIT;
  expect(nhos_report_get(ratcheted, 0, &rf), NHOS_CODE_OK, "ratcheted finding");
  CHECK(rf.is_new == 0 || strcmp(rf.status, "open") != 0);
  nhos_finding plain = NHOS_FINDING_INIT;
  expect(nhos_report_get(report, 0, &plain), NHOS_CODE_OK, "plain finding");
  CHECK(plain.is_new == -1);
  nhos_report_free(ratcheted);
  nhos_report_free(again);
  expect(nhos_report_from_json("{", &again), NHOS_CODE_USAGE, "report from bad json");
  /* Versioned structs: a size smaller than the first version is refused; a
     larger one (a newer header) gets the fields this library knows. */
  nhos_finding small = NHOS_FINDING_INIT;
  small.size = 8;
  expect(nhos_report_get(report, 0, &small), NHOS_CODE_USAGE, "finding size too small");
  struct { nhos_finding f; char future[32]; } big;
  memset(&big, 0x5a, sizeof big);
  big.f.size = sizeof big;
  expect(nhos_report_get(report, 0, &big.f), NHOS_CODE_OK, "finding from a newer header");
  CHECK(big.f.size == sizeof(nhos_finding) && big.future[0] == 0x5a && big.f.rule != NULL);
  CHECK(strncmp(nhos_report_json(report), "{", 1) == 0);
  CHECK(strstr(nhos_report_json(report), "\"schema\": \"nhos-report/1\"") != NULL);
  char *sarif = NULL;
  expect(nhos_report_sarif(report, &sarif), NHOS_CODE_OK, "sarif");
  CHECK(sarif && strstr(sarif, "\"version\": \"2.1.0\"") != NULL);
  nhos_string_free(sarif);
  nhos_finding out_of_range = NHOS_FINDING_INIT;
  expect(nhos_report_get(report, n, &out_of_range), NHOS_CODE_USAGE, "index out of range");

  /* plan */
  nhos_plan *plan = NULL;
  expect(nhos_plan_new(estate, estate, today, true, &plan), NHOS_CODE_OK, "plan");
  CHECK(nhos_plan_is_empty(plan));
  CHECK(strstr(nhos_plan_json(plan), "nhos-plan/1") != NULL);
  expect(nhos_plan_text(plan, &text), NHOS_CODE_OK, "plan text");
  nhos_string_free(text);
  expect(nhos_plan_markdown(plan, &text), NHOS_CODE_OK, "plan markdown");
  CHECK(text && strncmp(text, "## nhos plan", 12) == 0);
  nhos_string_free(text);
  expect(nhos_plan_summary_line(plan, &text), NHOS_CODE_OK, "plan summary line");
  CHECK(text && strcmp(text, "No changes.") == 0);
  nhos_string_free(text);
  expect(nhos_plan_summary_json(plan, &text), NHOS_CODE_OK, "plan summary json");
  CHECK(text && strstr(text, "\"profiles_changed\":0") != NULL);
  nhos_string_free(text);
  expect(nhos_plan_changed_profiles_json(plan, &text), NHOS_CODE_OK, "plan changed profiles");
  CHECK(text && strcmp(text, "[]") == 0);
  nhos_string_free(text);
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
  char *outputs_nix = join(flake, "outputs.nix");
  FILE *fp = fopen(outputs_nix, "a");
  CHECK(fp != NULL);
  if (fp) { fputs("# changed\n", fp); fclose(fp); }
  expect(nhos_estate_generate(estate, flake, today, true, false, &listing), NHOS_CODE_OK, "generate --check drift");
  CHECK(listing && strcmp(listing, "changed\toutputs.nix") == 0);
  nhos_string_free(listing);
  free(outputs_nix);
  nhos_error *gen = nhos_estate_generate(estate, foreign, today, false, false, &listing);
  CHECK(nhos_error_code(gen) == NHOS_CODE_GENERATE);
  CHECK(strstr(nhos_error_message(gen), "nhos-new") == NULL && strncmp(nhos_error_message(gen), "generate:", 9) != 0);
  nhos_error_free(gen);

  /* edit (on the scratch copy) */
  nhos_edit_options dry = NHOS_EDIT_OPTIONS_INIT;
  dry.dry_run = true;
  dry.today = today;
  nhos_edit_options wet = NHOS_EDIT_OPTIONS_INIT;
  wet.today = today;
  nhos_edit_options lax_opts = wet;
  lax_opts.allow_errors = true;
  nhos_edit_result *res = NULL;
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_ADD_PACKAGE, "clinical", "keepassxc", NULL, &dry, &res), NHOS_CODE_OK, "edit dry run");
  CHECK(strstr(nhos_edit_result_diff(res), "+add = [\"keepassxc\"]") != NULL);
  CHECK(nhos_edit_result_files_len(res) == 1 && strcmp(nhos_edit_result_file(res, 0), "profiles/clinical.toml") == 0);
  CHECK(nhos_edit_result_file(res, 1) == NULL);
  nhos_edit_result_free(res);
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_SET_SETTING, "clinical", "screen.idle-delay", "240", &wet, &res), NHOS_CODE_OK, "edit");
  nhos_edit_result_free(res);
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_ADD_CAPABILITY, "admin", "vpm", NULL, &wet, &res), NHOS_CODE_EDIT, "edit unknown capability");
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_SET_SETTING, "admin", "screen.idle-delay", NULL, &wet, &res), NHOS_CODE_NULL_ARGUMENT, "edit without value");
  /* Out-of-range operations are a usage error, not undefined behaviour. */
  expect(nhos_edit(scratch_estate, 8, "clinical", "htop", NULL, &dry, &res), NHOS_CODE_USAGE, "edit op 8");
  expect(nhos_edit(scratch_estate, -1, "clinical", "htop", NULL, &dry, &res), NHOS_CODE_USAGE, "edit op -1");
  expect(nhos_edit(scratch_estate, 0x7fffffff, "clinical", "htop", NULL, &dry, &res), NHOS_CODE_USAGE, "edit op INT_MAX");
  nhos_edit_options bad_opts = NHOS_EDIT_OPTIONS_INIT;
  bad_opts.size = 0;
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_ADD_PACKAGE, "clinical", "htop", NULL, &bad_opts, &res), NHOS_CODE_USAGE, "options without size");
  /* add_profile and add_waiver */
  const char *parents[] = {"clinical"};
  expect(nhos_edit_add_profile(scratch_estate, "theatre", parents, 1, "clinical", &wet, &res), NHOS_CODE_OK, "add profile");
  CHECK(strcmp(nhos_edit_result_file(res, 0), "profiles/theatre.toml") == 0);
  nhos_edit_result_free(res);
  expect(nhos_edit_add_profile(scratch_estate, "theatre2", NULL, 1, "clinical", &wet, &res), NHOS_CODE_NULL_ARGUMENT, "add profile NULL array");

  /* generate refuses while error-level findings remain, unless allowed */
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_SET_SETTING, "clinical", "screen.idle-delay", "3600", &wet, &res), NHOS_CODE_EDIT, "edit adding a finding refused");
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_SET_SETTING, "clinical", "screen.idle-delay", "3600", &lax_opts, &res), NHOS_CODE_OK, "edit adding a finding, allowed");
  size_t added = nhos_edit_result_findings_len(res, NHOS_FINDINGS_ADDED);
  CHECK(added >= 1);
  nhos_finding af = NHOS_FINDING_INIT;
  expect(nhos_edit_result_finding(res, NHOS_FINDINGS_ADDED, 0, &af), NHOS_CODE_OK, "added finding");
  CHECK(strcmp(af.rule, "R5") == 0 && strcmp(af.severity, "error") == 0);
  CHECK(nhos_edit_result_findings_len(res, NHOS_FINDINGS_REMOVED) == 0);
  CHECK(nhos_edit_result_findings_len(res, 7) == 0);
  expect(nhos_edit_result_finding(res, 7, 0, &af), NHOS_CODE_USAGE, "unknown which");
  nhos_edit_result_free(res);
  nhos_estate *lax = NULL;
  expect(nhos_estate_load(scratch_estate, &lax), NHOS_CODE_OK, "load the edited copy");
  nhos_report *lax_report = NULL;
  expect(nhos_estate_validate(lax, today, &lax_report), NHOS_CODE_OK, "validate the edited copy");
  CHECK(nhos_report_fails(lax_report));
  nhos_report_free(lax_report);
  nhos_error *refused = nhos_estate_generate(lax, flake, today, true, false, &listing);
  CHECK(nhos_error_code(refused) == NHOS_CODE_FINDINGS);
  CHECK(strstr(nhos_error_message(refused), "R5 clinical") != NULL);
  nhos_error_free(refused);
  char *lax_flake = join(argv[2], "lax-flake");
  expect(nhos_estate_generate(lax, lax_flake, today, false, true, &listing), NHOS_CODE_OK, "generate with allow_findings");
  nhos_string_free(listing);
  nhos_estate_free(lax);
  free(lax_flake);
  /* a waiver makes it pass again */
  const char *waived_profiles[] = {"clinical"};
  const char *keys[] = {"screen.idle-delay"};
  const char *values[] = {"3600"};
  nhos_waiver w = NHOS_WAIVER_INIT;
  w.id = "W-900";
  w.rule = "R5";
  w.profiles = waived_profiles;
  w.profiles_len = 1;
  w.justification = "Theatre displays stay on during surgery";
  w.approver = "SIRO";
  w.expires = "2027-01-31";
  w.approved = "2026-11-20";
  w.accepts_keys = keys;
  w.accepts_values = values;
  w.accepts_len = 1;
  expect(nhos_edit_add_waiver(scratch_estate, &w, &wet, &res), NHOS_CODE_OK, "add waiver");
  CHECK(nhos_edit_result_findings_len(res, NHOS_FINDINGS_REMOVED) >= 1);
  CHECK(strcmp(nhos_edit_result_file(res, 0), "policy.toml") == 0);
  nhos_edit_result_free(res);
  w.expires = "someday";
  expect(nhos_edit_add_waiver(scratch_estate, &w, &wet, &res), NHOS_CODE_USAGE, "waiver with a bad date");

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
  nhos_finding f = NHOS_FINDING_INIT;
  expect(nhos_report_get(NULL, 0, &f), NHOS_CODE_NULL_ARGUMENT, "get report");
  expect(nhos_report_get(report, 0, NULL), NHOS_CODE_NULL_ARGUMENT, "get out");
  expect(nhos_report_sarif(NULL, &sarif), NHOS_CODE_NULL_ARGUMENT, "sarif report");
  expect(nhos_report_sarif(report, NULL), NHOS_CODE_NULL_ARGUMENT, "sarif out");
  CHECK(nhos_report_len(NULL) == 0);
  CHECK(nhos_report_fails(NULL)); /* fails closed */
  CHECK(strcmp(nhos_report_json(NULL), "") == 0);
  expect(nhos_plan_new(NULL, estate, today, false, &plan), NHOS_CODE_NULL_ARGUMENT, "plan old");
  expect(nhos_plan_new(estate, NULL, today, false, &plan), NHOS_CODE_NULL_ARGUMENT, "plan new");
  expect(nhos_plan_new(estate, estate, today, false, NULL), NHOS_CODE_NULL_ARGUMENT, "plan out");
  CHECK(!nhos_plan_is_empty(NULL)); /* fails closed */
  CHECK(strcmp(nhos_plan_json(NULL), "") == 0);
  expect(nhos_estate_explain(NULL, "a", "b", &why), NHOS_CODE_NULL_ARGUMENT, "explain estate");
  expect(nhos_estate_explain(estate, NULL, "b", &why), NHOS_CODE_NULL_ARGUMENT, "explain profile");
  expect(nhos_estate_explain(estate, "a", NULL, &why), NHOS_CODE_NULL_ARGUMENT, "explain item");
  expect(nhos_estate_explain(estate, "a", "b", NULL), NHOS_CODE_NULL_ARGUMENT, "explain out");
  expect(nhos_estate_generate(NULL, flake, today, true, false, &listing), NHOS_CODE_NULL_ARGUMENT, "generate estate");
  expect(nhos_estate_generate(estate, NULL, today, true, false, &listing), NHOS_CODE_NULL_ARGUMENT, "generate dir");
  expect(nhos_estate_generate(estate, flake, today, true, false, NULL), NHOS_CODE_NULL_ARGUMENT, "generate out");
  expect(nhos_edit(NULL, NHOS_EDIT_OP_ADD_PACKAGE, "a", "b", NULL, &dry, &res), NHOS_CODE_NULL_ARGUMENT, "edit dir");
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_ADD_PACKAGE, NULL, "b", NULL, &dry, &res), NHOS_CODE_NULL_ARGUMENT, "edit a");
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_ADD_PACKAGE, "a", NULL, NULL, &dry, &res), NHOS_CODE_NULL_ARGUMENT, "edit b");
  expect(nhos_edit(scratch_estate, NHOS_EDIT_OP_ADD_PACKAGE, "clinical", "htop", NULL, &dry, NULL), NHOS_CODE_NULL_ARGUMENT, "edit out");
  expect(nhos_edit_add_waiver(scratch_estate, NULL, &dry, &res), NHOS_CODE_NULL_ARGUMENT, "waiver NULL");
  expect(nhos_report_summary(report, NULL), NHOS_CODE_NULL_ARGUMENT, "summary out");
  CHECK(strcmp(nhos_edit_result_diff(NULL), "") == 0 && nhos_edit_result_files_len(NULL) == 0);
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
  nhos_edit_result_free(NULL);
  nhos_error_free(NULL);
  nhos_string_free(NULL);

  /* four threads at once */
  thread_example = example;
  pthread_t threads[4];
  for (int i = 0; i < 4; i++) CHECK(pthread_create(&threads[i], NULL, validate_in_thread, NULL) == 0);
  for (int i = 0; i < 4; i++) {
    void *ok = NULL;
    pthread_join(threads[i], &ok);
    CHECK(ok == (void *)1);
  }

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
