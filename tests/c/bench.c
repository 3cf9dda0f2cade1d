/* C overhead over the same work in Rust, side by side in one process: load +
 * validate of an estate through the C API against the same loop run inside the
 * library (nhos_bench_rust). Not a test. Build against the release library:
 *   cargo build --release -p nhos-c --features test-hooks
 *   gcc -O2 -DNHOS_TEST_HOOKS -Inhos-c/include tests/c/bench.c target/release/libnhos.a -lpthread -ldl -lm -o bench
 *   ./bench examples/example-valley 2026-11-23 */
#include "nhos.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  enum { ROUNDS = 301 };
  static double c_times[ROUNDS], rust_times[ROUNDS];
  for (int i = 0; i < ROUNDS; i++) {
    double t = now();
    nhos_estate *e = NULL;
    nhos_report *r = NULL;
    nhos_error *err = nhos_estate_load(argv[1], &e);
    if (!err) err = nhos_estate_validate(e, argv[2], &r);
    if (err) {
      fprintf(stderr, "%s\n", nhos_error_message(err));
      return 1;
    }
    nhos_report_free(r);
    nhos_estate_free(e);
    c_times[i] = now() - t;
    nhos_error_free(nhos_bench_rust(argv[1], argv[2], 1, &rust_times[i]));
  }
  qsort(c_times, ROUNDS, sizeof(double), cmp);
  qsort(rust_times, ROUNDS, sizeof(double), cmp);
  double c = c_times[ROUNDS / 2], rs = rust_times[ROUNDS / 2];
  printf("load + validate %s: C %.3f ms, Rust %.3f ms, overhead %+.2f %%\n", argv[1], c * 1e3, rs * 1e3, 100.0 * (c - rs) / rs);
  return 0;
}
