// One page of a list, and the position where the next page starts. Stores
// fetch limit + 1 rows; make_page keeps limit and notes whether more follow.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

namespace staffroom {

template <class T>
struct Page {
  std::vector<T> items;
  std::optional<std::int64_t> next_after;  // cursor position of the next page
};

// position(item) gives the value the next query continues after.
template <class T, class Position>
Page<T> make_page(std::vector<T> fetched, int limit, Position position) {
  Page<T> page;
  if (static_cast<int>(fetched.size()) > limit) {
    fetched.resize(static_cast<std::size_t>(limit));
    page.next_after = position(fetched.back());
  }
  page.items = std::move(fetched);
  return page;
}

}  // namespace staffroom
