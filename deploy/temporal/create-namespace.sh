#!/bin/sh
# Creates SATURN's Temporal namespace and the Keyword search attributes its workflows carry
# (run by the temporal-namespace service of docker-compose.temporal.yml in temporalio/admin-tools;
# the same commands for any cluster are in docs/deployment.md). Safe to run again.
set -eu
ADDRESS=${TEMPORAL_ADDRESS:-temporal:7233}
NAMESPACE=${TEMPORAL_NAMESPACE:-saturn}
RETENTION=${TEMPORAL_NAMESPACE_RETENTION:-7d}
ATTRIBUTES="SaturnCompanyId SaturnAgentId SaturnSessionId SaturnTurnId"

# retry ATTEMPTS DESCRIPTION COMMAND...: runs COMMAND every 2 s until it succeeds, ATTEMPTS times at most.
retry() {
  attempts=$1 description=$2 attempt=1
  shift 2
  until "$@"; do
    if [ "$attempt" -ge "$attempts" ]; then
      echo "$description: no success after $attempt attempts" >&2
      return 1
    fi
    attempt=$((attempt + 1))
    sleep 2
  done
}

healthy() { temporal operator cluster health --address "$ADDRESS" >/dev/null 2>&1; }
retry 60 "Temporal at $ADDRESS" healthy

if temporal operator namespace describe --address "$ADDRESS" --namespace "$NAMESPACE" >/dev/null 2>&1; then
  echo "namespace $NAMESPACE exists"
else
  temporal operator namespace create --address "$ADDRESS" --namespace "$NAMESPACE" --retention "$RETENTION"
  echo "namespace $NAMESPACE created (retention $RETENTION)"
fi

# A new namespace may take a moment to be served everywhere in the cluster: retry each attribute.
existing=$(temporal operator search-attribute list --address "$ADDRESS" --namespace "$NAMESPACE" 2>/dev/null || true)
for name in $ATTRIBUTES; do
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attribute $name exists"
    continue
  fi
  retry 15 "creating search attribute $name" temporal operator search-attribute create --address "$ADDRESS" \
    --namespace "$NAMESPACE" --name "$name" --type Keyword
  echo "search attribute $name created"
done
