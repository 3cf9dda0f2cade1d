// The C++ API (cxx bridge, namespace nhos): rust::Box RAII, findings as shared
// structs, errors as rust::Error exceptions. Usage: test_cxx REPO_ROOT
#include "rust/cxx.h"
#include "nhos-cxx/nhos.hpp"

#include <cstdio>
#include <exception>
#include <string>

static int failures = 0, checks = 0;
#define CHECK(cond)                                                                \
  do {                                                                             \
    checks++;                                                                      \
    if (!(cond)) {                                                                 \
      failures++;                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
    }                                                                              \
  } while (0)

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  std::string root = argv[1];
  rust::Box<nhos::Estate> estate = nhos::load(root + "/examples/example-valley");
  rust::Vec<rust::String> names = estate->profiles();
  CHECK(names.size() == 8);
  CHECK(std::string(names[3]) == "clinical");

  rust::Vec<nhos::Finding> findings = estate->validate("2026-11-23");
  int waived = 0;
  for (const nhos::Finding &f : findings) {
    if (std::string(f.status) == "waived") {
      waived++;
      CHECK(std::string(f.profile) == "kiosk" || std::string(f.profile) == "dr");
      CHECK(f.line > 0);
    }
  }
  CHECK(waived == 4);
  CHECK(std::string(estate->report_json("2026-11-23")).find("nhos-report/1") != std::string::npos);
  CHECK(std::string(estate->explain("clinical", "opensc")).find("\"kind\":\"package\"") != std::string::npos);

  bool threw = false;
  try {
    nhos::load(root + "/tests/corpus/load-unknown-parent");
  } catch (const rust::Error &e) {
    threw = true;
    CHECK(std::string(e.what()).rfind("load:", 0) == 0);
  }
  CHECK(threw);
  threw = false;
  try {
    estate->validate("not-a-date");
  } catch (const rust::Error &e) {
    threw = true;
    CHECK(std::string(e.what()).find("not a date") != std::string::npos);
  }
  CHECK(threw);
  std::printf("%d passed, %d failed\n", checks - failures, failures);
  return failures == 0 ? 0 : 1;
}
