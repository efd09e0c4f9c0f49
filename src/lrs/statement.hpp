// xAPI statements: the validation every statement passes before the LRS keeps
// it (xAPI 1.0.3 and 2.0.0, IEEE 9274.1.1), what the LRS adds when it stores
// one, the facts queries and participation need, and the ids and canonical
// formats of GET. Pure rules, no I/O.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/time.hpp"

namespace staffroom::lrs {

enum class Version { V1_0_3, V2_0_0 };
std::string_view version_text(Version v);  // "1.0.3" / "2.0.0"

inline constexpr std::string_view kVoidedVerb = "http://adlnet.gov/expapi/verbs/voided";
inline constexpr std::string_view kSignatureUsage = "http://adlnet.gov/expapi/attachments/signature";

struct AttachmentInfo {
  std::string sha2;
  std::string content_type;
  std::int64_t length = 0;
  bool has_file_url = false;
  bool signature = false;  // usageType is the JWS signature
};

// What the LRS indexes about a statement, besides its JSON.
struct StatementFacts {
  std::string id;          // lower-case UUID (generated when absent)
  std::string actor;       // identifier key of the actor, "" for an anonymous group
  std::string verb;        // verb IRI
  std::string activity;    // object's id when the object is an Activity
  std::string ref_target;  // object's id (lower-case) when it is a StatementRef
  std::string registration;
  // Agents: the actor and object (and an actor group's members) match the
  // agent filter; the broad set adds authority, instructor, team, context
  // agents and groups, and the same inside a SubStatement.
  std::vector<std::string> agents, related_agents;
  // Activities: the broad set (related_activities) holds the object, every
  // context activity, and the same inside a SubStatement.
  std::vector<std::string> related_activities;
  // Activities that came with a definition, for the canonical activity store.
  std::vector<std::pair<std::string, boost::json::object>> definitions;
  std::vector<AttachmentInfo> attachments;
  std::optional<std::int64_t> duration_ms;  // result.duration
  std::optional<EpochMs> timestamp;
  bool voids() const { return verb == kVoidedVerb && !ref_target.empty(); }
};

struct CheckedStatement {
  boost::json::object statement;  // as sent, single context activities made arrays
  // Exactly as sent, for the re-send comparison and the signature check; kept
  // only when the statement names its id or has attachments.
  boost::json::object original;
  StatementFacts facts;
  bool id_assigned = false;  // the LRS gave it its id (assign_id)
};

// Checks one statement. Problems are added to errors with paths like
// "object.definition.name" prefixed by prefix ("[2]." in a batch); nullopt
// when there were any.
std::optional<CheckedStatement> check_statement(const boost::json::value& value, Version version,
                                                const std::string& prefix, std::vector<FieldError>& errors);
// The same, taking the statement over instead of copying it (a request's
// statements, which nothing reads afterwards).
std::optional<CheckedStatement> check_statement(boost::json::value&& value, Version version, const std::string& prefix,
                                                std::vector<FieldError>& errors);

// The deferred index's keys for a statement: "v <verb>", "a <object
// activity>", "A <related activity>" (other than the object),
// "r <registration>", "g <agent>" (actor or object), "G <agent>" (any other
// related agent). Sorted, without repeats.
std::vector<std::string> index_keys(const StatementFacts& f);

// Gives a statement without an id a new one (time-ordered, UUIDv7), first
// in the object as clients write it; before it waits for the write lock.
void assign_id(CheckedStatement& s);

// What the LRS sets when it stores a statement, in two steps so that only
// the second waits for the write lock:
//  - prepare_statement: the id (when absent), authority (always its own,
//    given as JSON text since a request's statements share it), version
//    (when absent) and the timestamp in UTC with milliseconds; answers the
//    statement as text without stored (and without timestamp when it had
//    none), the client's stored dropped;
//  - stamp_stored: adds stored to that text, and the timestamp of a
//    statement that had none (stored, to the character).
std::string prepare_statement(CheckedStatement& s, std::string_view authority, Version version);
void stamp_stored(std::string& text, StatementFacts& facts, EpochMs stored);

// The identifier key of an Agent or Group given as a query parameter
// (agent=...), or an error saying what is wrong with it.
Result<std::string> agent_key(std::string_view json_text);
// An Agent's or identified Group's key, "" for one without an identifier.
std::string identifier_key(const boost::json::object& actor);

// Formats.
boost::json::object ids_format(const boost::json::object& statement);
// Keeps the one entry of each language map that best fits the languages
// (Accept-Language order); "und" or the first entry when none fits.
boost::json::object canonical_format(const boost::json::object& statement, const std::vector<std::string>& languages);
std::vector<std::string> accept_languages(std::string_view header);

// Field rules, exposed for tests and the document resources.
bool is_uuid(std::string_view s);
bool is_iri(std::string_view s);
bool is_language_tag(std::string_view s);
// ISO 8601 duration as xAPI allows it; milliseconds (months as 30 days,
// years as 365) or nullopt.
std::optional<std::int64_t> parse_duration(std::string_view s);
// ISO 8601 date-time with an offset (Z, +hh:mm, +hhmm, +hh; not -00);
// nullopt when malformed. Sub-millisecond digits are dropped.
std::optional<EpochMs> parse_timestamp(std::string_view s);
std::string format_timestamp(EpochMs ms);
// A JWS-signed statement: the compact JWS in the signature attachment must
// use RS256, RS384 or RS512 and carry the statement (without attachments) as
// its payload; durations compare to the hundredth of a second.
Status check_signature(const CheckedStatement& s, std::string_view jws, const std::string& field);

// Merges a newer activity definition into a kept one: language maps are
// merged entry by entry, other properties replaced. True when kept changed.
bool merge_definition(boost::json::object& kept, const boost::json::object& newer);

}  // namespace staffroom::lrs
