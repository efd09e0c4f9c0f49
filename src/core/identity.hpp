// Who is making a request, as the HTTP layer needs to know it: an account id,
// its role grants, and how it authenticated. Filled in by the accounts module;
// checked by the router's access rules. Holds no secrets.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace staffroom {

struct Grant {
  std::int64_t id = 0;
  std::string role;        // educator, org_staff, district_admin, campaign_organizer, site_admin
  std::string scope_type;  // "", organization, district, campaign
  std::string scope_id;    // slug or id of the scope; empty for unscoped roles
};

struct Identity {
  std::int64_t user_id = 0;
  std::string email;
  std::string display_name;
  std::int64_t created_at = 0;  // ms since the epoch
  std::vector<Grant> grants;
  bool via_cookie = false;  // cookie sessions need CSRF tokens on unsafe methods
  std::string csrf_token;   // only for cookie sessions
  std::int64_t session_id = 0;

  bool has_role(std::string_view role) const {
    for (const auto& g : grants)
      if (g.role == role) return true;
    return false;
  }
  bool has_scoped_role(std::string_view role, std::string_view scope_type, std::string_view scope_id) const {
    for (const auto& g : grants)
      if (g.role == role && g.scope_type == scope_type && g.scope_id == scope_id) return true;
    return false;
  }
};

}  // namespace staffroom
