#include "ld/rdfc.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace staffroom::ld {

namespace {

constexpr std::uint32_t kNone = UINT32_MAX;

// Hash N-Degree Quads recurses once per blank node on a gossip path. The work
// bound alone does not stop a long path (two identical chains of blank nodes
// cost little work but recurse as deep as they are long), so the depth is
// bounded too, well inside any thread's stack.
constexpr std::size_t kMaxDepth = 1000;

// A digest kept as raw bytes: comparing bytes orders digests exactly as
// comparing their lower-case hex forms in code point order would.
struct Digest {
  std::array<unsigned char, EVP_MAX_MD_SIZE> bytes{};
  unsigned size = 0;

  friend bool operator<(const Digest& a, const Digest& b) {
    const int order = std::memcmp(a.bytes.data(), b.bytes.data(), std::min(a.size, b.size));
    return order != 0 ? order < 0 : a.size < b.size;
  }
  friend bool operator==(const Digest& a, const Digest& b) {
    return a.size == b.size && std::memcmp(a.bytes.data(), b.bytes.data(), a.size) == 0;
  }

  void append_hex(std::string& out) const {
    static constexpr std::string_view kHex = "0123456789abcdef";
    for (unsigned i = 0; i < size; ++i) {
      out += kHex[bytes[i] >> 4];
      out += kHex[bytes[i] & 0xF];
    }
  }
};

// Fetched once: an implicit fetch on every digest costs more than hashing the
// short strings this algorithm feeds it. Fetched digests are safe to share
// between threads.
const EVP_MD* message_digest(HashAlgorithm algorithm) {
  static EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  static EVP_MD* const sha384 = EVP_MD_fetch(nullptr, "SHA2-384", nullptr);
  return algorithm == HashAlgorithm::Sha384 ? sha384 : sha256;
}

// One reusable digest context per canonicalization; the algorithm never
// interleaves two hashes, so one context serves every step.
class Hasher {
 public:
  explicit Hasher(HashAlgorithm algorithm) : md_(message_digest(algorithm)), ctx_(EVP_MD_CTX_new()) {}
  ~Hasher() { EVP_MD_CTX_free(ctx_); }
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  bool ready() const { return md_ != nullptr && ctx_ != nullptr; }

  void begin() {
    if (EVP_DigestInit_ex2(ctx_, md_, nullptr) != 1) throw std::runtime_error("EVP_DigestInit_ex2 failed");
  }
  void update(std::string_view data) {
    if (EVP_DigestUpdate(ctx_, data.data(), data.size()) != 1) throw std::runtime_error("EVP_DigestUpdate failed");
  }
  Digest finish() {
    Digest digest;
    if (EVP_DigestFinal_ex(ctx_, digest.bytes.data(), &digest.size) != 1) {
      throw std::runtime_error("EVP_DigestFinal_ex failed");
    }
    return digest;
  }
  Digest of(std::string_view data) {
    begin();
    update(data);
    return finish();
  }

 private:
  const EVP_MD* md_;
  EVP_MD_CTX* ctx_;
};

void append_number(std::string& out, std::uint32_t n) {
  std::array<char, 16> digits{};
  const auto end = std::to_chars(digits.data(), digits.data() + digits.size(), n).ptr;
  out.append(digits.data(), end);
}

bool is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_alnum(char c) {
  return is_alpha(c) || (c >= '0' && c <= '9');
}

// A quad built in code rather than parsed could carry a language tag that,
// written out, reads as more syntax; the canonical form must not be forgeable.
bool is_language_tag(std::string_view tag) {
  std::size_t i = 0;
  while (i < tag.size() && is_alpha(tag[i])) ++i;
  if (i == 0) return false;
  while (i < tag.size()) {
    if (tag[i++] != '-') return false;
    const std::size_t start = i;
    while (i < tag.size() && is_alnum(tag[i])) ++i;
    if (i == start) return false;
  }
  return true;
}

Status check_quad(const Quad& quad, std::size_t index) {
  const auto bad = [&](std::string_view problem) {
    return Error::bad_request("quad " + std::to_string(index + 1) + ": " + std::string(problem));
  };
  if (quad.subject.kind != TermKind::Iri && quad.subject.kind != TermKind::BlankNode) {
    return bad("subject must be an IRI or blank node");
  }
  if (quad.predicate.kind != TermKind::Iri) return bad("predicate must be an IRI");
  if (quad.object.kind == TermKind::DefaultGraph) return bad("object is missing");
  if (quad.graph.kind == TermKind::Literal) return bad("graph name must be an IRI or blank node");
  if (quad.object.kind == TermKind::Literal && !quad.object.language.empty() &&
      !is_language_tag(quad.object.language)) {
    return bad("literal has a malformed language tag");
  }
  return {};
}

// Term identity as RDF defines it, so a dataset given twice the same quad
// (RDF datasets are sets) is canonicalized as if it held it once.
int compare_terms(const Term& a, const Term& b) {
  if (a.kind != b.kind) return a.kind < b.kind ? -1 : 1;
  if (const int order = a.value.compare(b.value); order != 0) return order;
  if (a.kind != TermKind::Literal) return 0;
  if (const int order = a.language.compare(b.language); order != 0) return order;
  if (!a.language.empty()) return 0;
  const std::string_view a_type = a.datatype.empty() ? kXsdString : std::string_view(a.datatype);
  const std::string_view b_type = b.datatype.empty() ? kXsdString : std::string_view(b.datatype);
  return a_type.compare(b_type);
}

int compare_quads(const Quad& a, const Quad& b) {
  if (const int order = compare_terms(a.subject, b.subject); order != 0) return order;
  if (const int order = compare_terms(a.predicate, b.predicate); order != 0) return order;
  if (const int order = compare_terms(a.object, b.object); order != 0) return order;
  return compare_terms(a.graph, b.graph);
}

struct QuadRef {
  const Quad* quad;
  // The blank node index of the subject, object and graph name, or kNone.
  std::array<std::uint32_t, 3> nodes;
};

struct BlankNode {
  std::string_view label;
  std::vector<std::uint32_t> quads;  // its mention set, as indexes into the quads
  Digest first_degree;
  std::uint32_t canonical = kNone;  // the number n of its canonical label c14n<n>
};

// Lines written into one buffer and sorted as views, so serializing N quads
// costs a couple of allocations instead of N.
class LineBuffer {
 public:
  std::string& text() { return text_; }
  void clear() {
    text_.clear();
    ends_.clear();
  }
  void end_line() { ends_.push_back(text_.size()); }
  // Views of the lines in code point order (bytewise order of UTF-8).
  const std::vector<std::string_view>& sorted() {
    lines_.clear();
    std::size_t start = 0;
    for (const std::size_t end : ends_) {
      lines_.emplace_back(text_.data() + start, end - start);
      start = end;
    }
    std::sort(lines_.begin(), lines_.end());
    return lines_;
  }

 private:
  std::string text_;
  std::vector<std::size_t> ends_;
  std::vector<std::string_view> lines_;
};

class Canonicalizer {
 public:
  Canonicalizer(const Dataset& dataset, const CanonicalizeOptions& options)
      : dataset_(dataset), options_(options), hasher_(options.hash) {}

  Result<Canonicalized> run() {
    if (!hasher_.ready()) return Error::internal("the hash algorithm for canonicalization is not available");
    SR_TRY(index_quads());
    for (std::uint32_t node = 0; node < nodes_.size(); ++node) hash_first_degree(node);
    SR_TRY(issue_canonical_labels());
    return serialize();
  }

 private:
  // Steps 1 and 2: the blank node to quads map, with blank nodes numbered in
  // order of first mention.
  Status index_quads() {
    std::vector<std::uint32_t> order(dataset_.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return compare_quads(dataset_[a], dataset_[b]) < 0; });
    std::vector<bool> duplicate(dataset_.size(), false);
    for (std::size_t i = 1; i < order.size(); ++i) {
      if (compare_quads(dataset_[order[i - 1]], dataset_[order[i]]) == 0) duplicate[order[i]] = true;
    }

    std::unordered_map<std::string_view, std::uint32_t> node_of_label;
    quads_.reserve(dataset_.size());
    for (std::size_t i = 0; i < dataset_.size(); ++i) {
      const Quad& quad = dataset_[i];
      SR_TRY(check_quad(quad, i));
      if (duplicate[i]) continue;
      const auto quad_index = static_cast<std::uint32_t>(quads_.size());
      QuadRef ref{&quad, {kNone, kNone, kNone}};
      const std::array<const Term*, 3> components = {&quad.subject, &quad.object, &quad.graph};
      for (std::size_t position = 0; position < components.size(); ++position) {
        const Term& term = *components[position];
        if (term.kind != TermKind::BlankNode) continue;
        auto [it, added] = node_of_label.try_emplace(term.value, static_cast<std::uint32_t>(nodes_.size()));
        if (added) nodes_.push_back(BlankNode{term.value, {}, {}, kNone});
        const std::uint32_t node = it->second;
        ref.nodes[position] = node;
        // A quad naming the node twice is still one quad of its mention set.
        std::vector<std::uint32_t>& mentions = nodes_[node].quads;
        if (mentions.empty() || mentions.back() != quad_index) mentions.push_back(quad_index);
      }
      quads_.push_back(ref);
    }
    temp_id_.assign(nodes_.size(), kNone);
    return {};
  }

  template <class WriteBlankNode>
  void append_quad(std::string& out, const QuadRef& ref, WriteBlankNode&& write_blank_node) {
    const Quad& quad = *ref.quad;
    const auto write = [&](const Term& term, std::uint32_t node) {
      if (node != kNone) {
        write_blank_node(out, node);
      } else {
        append_term(out, term);
      }
    };
    write(quad.subject, ref.nodes[0]);
    out += ' ';
    append_term(out, quad.predicate);
    out += ' ';
    write(quad.object, ref.nodes[1]);
    out += ' ';
    if (quad.graph.kind != TermKind::DefaultGraph) {
      write(quad.graph, ref.nodes[2]);
      out += ' ';
    }
    out += ".\n";
  }

  // Hash First Degree Quads: the node's mention set with the node itself as
  // _:a and every other blank node as _:z.
  void hash_first_degree(std::uint32_t node) {
    lines_.clear();
    for (const std::uint32_t quad : nodes_[node].quads) {
      append_quad(lines_.text(), quads_[quad],
                  [node](std::string& out, std::uint32_t other) { out += other == node ? "_:a" : "_:z"; });
      lines_.end_line();
    }
    hasher_.begin();
    for (const std::string_view line : lines_.sorted()) hasher_.update(line);
    nodes_[node].first_degree = hasher_.finish();
  }

  void issue_canonical(std::uint32_t node) {
    if (nodes_[node].canonical != kNone) return;
    nodes_[node].canonical = static_cast<std::uint32_t>(canonical_order_.size());
    canonical_order_.push_back(node);
  }

  // The temporary ("b") issuer is one stack shared by every level of Hash
  // N-Degree Quads: copying an issuer is remembering the stack height, and
  // dropping the copy is popping back to it. Copies therefore cost nothing,
  // where whole-map copies would cost O(blank nodes) per permutation.
  std::uint32_t issue_temporary(std::uint32_t node) {
    if (temp_id_[node] == kNone) {
      temp_id_[node] = static_cast<std::uint32_t>(temp_issued_.size());
      temp_issued_.push_back(node);
    }
    return temp_id_[node];
  }

  void roll_back_temporary(std::size_t height) {
    while (temp_issued_.size() > height) {
      temp_id_[temp_issued_.back()] = kNone;
      temp_issued_.pop_back();
    }
  }

  // Steps 3 to 5: first degree hashes that are unique name their nodes at
  // once; the rest are told apart by Hash N-Degree Quads.
  Status issue_canonical_labels() {
    std::vector<std::pair<Digest, std::uint32_t>> by_hash;
    by_hash.reserve(nodes_.size());
    for (std::uint32_t node = 0; node < nodes_.size(); ++node) by_hash.emplace_back(nodes_[node].first_degree, node);
    // Stable, so nodes sharing a hash stay in order of first mention.
    std::stable_sort(by_hash.begin(), by_hash.end(), [](const auto& a, const auto& b) { return a.first < b.first; });

    std::vector<std::pair<std::size_t, std::size_t>> shared;  // [begin, end) runs of one hash
    for (std::size_t begin = 0; begin < by_hash.size();) {
      std::size_t end = begin + 1;
      while (end < by_hash.size() && by_hash[end].first == by_hash[begin].first) ++end;
      if (end - begin == 1) {
        issue_canonical(by_hash[begin].second);
      } else {
        shared.emplace_back(begin, end);
      }
      begin = end;
    }

    struct HashPath {
      Digest hash;
      std::vector<std::uint32_t> issued;  // the temporary issuer's nodes, in issue order
    };
    std::vector<HashPath> hash_paths;
    for (const auto& [begin, end] : shared) {
      hash_paths.clear();
      for (std::size_t i = begin; i < end; ++i) {
        const std::uint32_t node = by_hash[i].second;
        if (nodes_[node].canonical != kNone) continue;
        roll_back_temporary(0);
        issue_temporary(node);
        const Digest hash = hash_n_degree(node);
        if (too_complex_) return too_complex_error();
        hash_paths.push_back({hash, temp_issued_});
      }
      std::stable_sort(hash_paths.begin(), hash_paths.end(),
                       [](const HashPath& a, const HashPath& b) { return a.hash < b.hash; });
      for (const HashPath& path : hash_paths) {
        for (const std::uint32_t node : path.issued) issue_canonical(node);
      }
    }
    roll_back_temporary(0);
    return {};
  }

  Error too_complex_error() const {
    if (too_deep_) {
      return Error::bad_request(
          "RDF dataset is too complex to canonicalize: telling its blank nodes apart means "
          "following chains of them more than " +
          std::to_string(kMaxDepth) + " deep");
    }
    return Error::bad_request(
        "RDF dataset is too complex to canonicalize: telling its blank nodes apart takes more "
        "than " +
        std::to_string(options_.max_work) + " steps of RDFC-1.0's Hash N-Degree Quads");
  }

  bool spend_work() {
    if (++work_ > options_.max_work) too_complex_ = true;
    return !too_complex_;
  }

  void append_identifier(std::string& out, std::uint32_t node) {
    if (nodes_[node].canonical != kNone) {
      out += "_:c14n";
      append_number(out, nodes_[node].canonical);
    } else {
      out += "_:b";
      append_number(out, temp_id_[node]);
    }
  }

  // Hash Related Blank Node.
  Digest hash_related(std::uint32_t related, const QuadRef& ref, std::size_t position) {
    static constexpr std::array<std::string_view, 3> kPosition = {"s", "o", "g"};
    std::string& input = related_input_;
    input.clear();
    input += kPosition[position];
    if (position != 2) {
      input += '<';
      input += ref.quad->predicate.value;
      input += '>';
    }
    if (nodes_[related].canonical != kNone || temp_id_[related] != kNone) {
      append_identifier(input, related);
    } else {
      nodes_[related].first_degree.append_hex(input);
    }
    return hasher_.of(input);
  }

  static bool worse_path(const std::string& path, const std::string& chosen) {
    return !chosen.empty() && path.size() >= chosen.size() && path > chosen;
  }

  // Hash N-Degree Quads for `identifier`, with the temporary issuer's current
  // state as its issuer. On return the temporary issuer holds the chosen
  // issuer. Sets too_complex_ (and returns nothing useful) when the work or
  // depth bound is hit.
  Digest hash_n_degree(std::uint32_t identifier) {
    if (depth_ >= kMaxDepth) too_complex_ = too_deep_ = true;
    if (!spend_work()) return {};
    ++depth_;
    struct DepthGuard {
      std::size_t& depth;
      ~DepthGuard() { --depth; }
    } guard{depth_};

    // Steps 1 to 3: related blank nodes grouped by their related hash.
    std::vector<std::pair<Digest, std::uint32_t>> related;
    for (const std::uint32_t quad : nodes_[identifier].quads) {
      const QuadRef& ref = quads_[quad];
      for (std::size_t position = 0; position < ref.nodes.size(); ++position) {
        const std::uint32_t node = ref.nodes[position];
        if (node == kNone || node == identifier) continue;
        related.emplace_back(hash_related(node, ref, position), node);
      }
    }
    std::sort(related.begin(), related.end());

    std::string data_to_hash;
    std::vector<std::uint32_t> blank_nodes;
    std::string path;
    std::string chosen_path;
    std::vector<std::uint32_t> chosen_issued;
    std::vector<std::uint32_t> recursion;
    for (std::size_t begin = 0; begin < related.size();) {
      std::size_t end = begin + 1;
      while (end < related.size() && related[end].first == related[begin].first) ++end;
      related[begin].first.append_hex(data_to_hash);
      // Sorted by node, so std::next_permutation walks every ordering once;
      // a node related twice makes repeated orderings, which hash alike.
      blank_nodes.clear();
      for (std::size_t i = begin; i < end; ++i) blank_nodes.push_back(related[i].second);
      begin = end;

      const std::size_t issuer_height = temp_issued_.size();
      chosen_path.clear();
      chosen_issued.clear();
      bool chosen = false;
      do {
        if (!spend_work()) return {};
        path.clear();
        recursion.clear();
        bool skipped = false;
        for (const std::uint32_t node : blank_nodes) {
          if (nodes_[node].canonical == kNone && temp_id_[node] == kNone) {
            recursion.push_back(node);
            issue_temporary(node);
          }
          append_identifier(path, node);
          if (chosen && worse_path(path, chosen_path)) {
            skipped = true;
            break;
          }
        }
        for (std::size_t i = 0; !skipped && i < recursion.size(); ++i) {
          const Digest result = hash_n_degree(recursion[i]);
          if (too_complex_) return {};
          append_identifier(path, recursion[i]);
          path += '<';
          result.append_hex(path);
          path += '>';
          skipped = chosen && worse_path(path, chosen_path);
        }
        if (!skipped && (!chosen || path < chosen_path)) {
          chosen = true;
          chosen_path = path;
          chosen_issued.assign(temp_issued_.begin() + static_cast<std::ptrdiff_t>(issuer_height), temp_issued_.end());
        }
        roll_back_temporary(issuer_height);
      } while (std::next_permutation(blank_nodes.begin(), blank_nodes.end()));

      data_to_hash += chosen_path;
      for (const std::uint32_t node : chosen_issued) issue_temporary(node);
    }
    return hasher_.of(data_to_hash);
  }

  // Step 7: every quad with canonical labels, in code point order.
  Canonicalized serialize() {
    lines_.clear();
    for (const QuadRef& ref : quads_) {
      append_quad(lines_.text(), ref, [this](std::string& out, std::uint32_t node) {
        out += "_:c14n";
        append_number(out, nodes_[node].canonical);
      });
      lines_.end_line();
    }
    Canonicalized result;
    result.nquads.reserve(lines_.text().size());
    for (const std::string_view line : lines_.sorted()) result.nquads += line;
    result.issued.reserve(canonical_order_.size());
    for (const std::uint32_t node : canonical_order_) {
      std::string label = "c14n";
      append_number(label, nodes_[node].canonical);
      result.issued.emplace_back(std::string(nodes_[node].label), std::move(label));
    }
    return result;
  }

  const Dataset& dataset_;
  const CanonicalizeOptions& options_;
  Hasher hasher_;
  std::vector<QuadRef> quads_;
  std::vector<BlankNode> nodes_;
  std::vector<std::uint32_t> canonical_order_;
  std::vector<std::uint32_t> temp_issued_;  // the temporary issuer: node of each b<n>
  std::vector<std::uint32_t> temp_id_;      // and n for each node, or kNone
  std::size_t work_ = 0;
  std::size_t depth_ = 0;
  bool too_complex_ = false;
  bool too_deep_ = false;
  LineBuffer lines_;
  std::string related_input_;
};

}  // namespace

Result<Canonicalized> canonicalize(const Dataset& dataset, const CanonicalizeOptions& options) {
  return Canonicalizer(dataset, options).run();
}

}  // namespace staffroom::ld
