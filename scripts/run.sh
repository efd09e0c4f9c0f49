#!/usr/bin/env bash
# Serves Staffroom on the embedded SQLite database under var/, filling a new
# database with the demo data first. Settings come from STAFFROOM_* variables.
set -euo pipefail
cd "$(dirname "$0")/.."

export STAFFROOM_DB="${STAFFROOM_DB:-sqlite:var/staffroom.db}"
export STAFFROOM_LISTEN="${STAFFROOM_LISTEN:-127.0.0.1}"
export STAFFROOM_PORT="${STAFFROOM_PORT:-8080}"
bin=build/staffroom

fresh=0
if [[ "$STAFFROOM_DB" == sqlite:* && ! -f "${STAFFROOM_DB#sqlite:}" ]]; then fresh=1; fi
"$bin" migrate >/dev/null
if ((fresh)); then
  echo "Creating the demo data in ${STAFFROOM_DB#sqlite:} ..."
  "$bin" demo >/dev/null
fi

cat <<MSG

  Staffroom is starting on http://$STAFFROOM_LISTEN:$STAFFROOM_PORT/

  Sign in as the demo campaign organizer:
      email     organizer@staffroom.test
      password  demo-organizer
  (also admin@staffroom.test / demo-site-admin, educator@staffroom.test / demo-educator,
   and district@staffroom.test / demo-district, admin of the Springfield demo district)

  Stop with Ctrl-C.

MSG
exec "$bin" serve --assets web/dist
