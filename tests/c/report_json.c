/* Prints the JSON validation report of each estate directory given, one per line
 * block, for the corpus parity test: report_json TODAY DIR */
#include "nhos.h"

#include <stdio.h>

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  nhos_estate *estate = NULL;
  nhos_error *err = nhos_estate_load(argv[2], &estate);
  if (err) {
    /* A load failure: print the diagnostics, as `nhos check --format json` does. */
    printf("{\"error\": %d, \"diagnostics\": %s}\n", (int)nhos_error_code(err), nhos_error_diagnostics_json(err));
    nhos_error_free(err);
    return 0;
  }
  nhos_report *report = NULL;
  err = nhos_estate_validate(estate, argv[1], &report);
  if (err) {
    fprintf(stderr, "%s\n", nhos_error_message(err));
    nhos_error_free(err);
    nhos_estate_free(estate);
    return 1;
  }
  fputs(nhos_report_json(report), stdout);
  nhos_report_free(report);
  nhos_estate_free(estate);
  return 0;
}
