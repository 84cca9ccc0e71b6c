#!/bin/sh
# Sets the passwords of the node's credentials (LAB_CREDENTIAL_<NAME>_USERNAME/_PASSWORD, put there
# by the orchestrator per session) for users that exist in the image, then runs the node's command.
set -eu
for var in $(env | sed -n 's/^\(LAB_CREDENTIAL_[A-Z0-9_]*\)_USERNAME=.*/\1/p'); do
    user=$(printenv "${var}_USERNAME" || true)
    password=$(printenv "${var}_PASSWORD" || true)
    if [ -n "$user" ] && [ -n "$password" ] && id "$user" >/dev/null 2>&1; then
        printf '%s:%s\n' "$user" "$password" | chpasswd
    fi
done
exec "$@"
