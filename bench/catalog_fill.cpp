// Fills a database for the catalog benchmark: N campaigns of M activities
// from the demo generator, so search is measured over a realistic catalog.
//   bench_catalog_fill DB_URL CAMPAIGNS ACTIVITIES_PER_CAMPAIGN
#include <cstdio>
#include <cstdlib>
#include <string>

#include "core/crypto.hpp"
#include "db/database.hpp"
#include "db/migrate.hpp"
#include "demo/demo.hpp"

using namespace staffroom;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s DB_URL CAMPAIGNS ACTIVITIES_PER_CAMPAIGN\n", argv[0]);
    return 2;
  }
  crypto::init();
  auto db = db::Database::open(argv[1], 2);
  if (!db.ok()) {
    std::fprintf(stderr, "%s\n", db.error().detail.c_str());
    return 1;
  }
  if (auto m = db::migrate(**db); !m.ok()) {
    std::fprintf(stderr, "%s\n", m.error().detail.c_str());
    return 1;
  }
  demo::Sizes sizes;
  sizes.activities = std::atoi(argv[3]);
  auto loaded = demo::load_scale(**db, std::atoi(argv[2]), sizes, [](const std::string& step, int done, int total) {
    std::fprintf(stderr, "\r%s %d/%d", step.c_str(), done, total);
    if (done == total) std::fprintf(stderr, "\n");
  });
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.error().detail.c_str());
    return 1;
  }
  std::printf("%d\n", loaded->activities);
  return 0;
}
