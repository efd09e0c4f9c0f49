#include "credentials/routes.hpp"

#include <boost/json.hpp>

#include "credentials/verify.hpp"
#include "ld/contexts.hpp"

namespace staffroom::credentials {

namespace json = boost::json;
using http::Access;
using http::Context;
using http::HandlerResult;
using http::Response;

void add_routes(http::Router& router) {
  router.add("POST", "/api/v1/verify", Access::open(),
             {"verifyCredential",
              "Check any Open Badges 3.0 credential: proof, issuer key, dates, status, shape", "credentials", true,
              {200, 400}},
             [](Context& ctx) -> HandlerResult {
               boost::system::error_code ec;
               json::parse_options opts;
               opts.max_depth = 64;
               auto doc = json::parse(ctx.request.body, ec, {}, opts);
               if (ec) return Error::bad_request("the body is not JSON (" + ec.message() + "); paste the credential as it was issued");
               static const ld::DocumentLoader loader = ld::bundled_contexts();
               VerifyInput in;
               in.loader = loader;
               in.now = now_ms();
               // An answer, not an error, whatever the credential holds: the
               // checks say what is wrong with it.
               return Response::json(200, to_json(verify_credential(doc, in)));
             });
}

}  // namespace staffroom::credentials
