#!/bin/sh
# Creates SATURN's Temporal namespace and the Keyword search attributes its workflows carry
# (run by the temporal-namespace service of docker-compose.temporal.yml in temporalio/admin-tools;
# the same commands for any cluster are in docs/deployment.md). Safe to run again.
set -eu
ADDRESS=${TEMPORAL_ADDRESS:-temporal:7233}
NAMESPACE=${TEMPORAL_NAMESPACE:-saturn}
RETENTION=${TEMPORAL_NAMESPACE_RETENTION:-7d}
ATTRIBUTES="SaturnCompanyId SaturnAgentId SaturnSessionId SaturnTurnId"

attempt=1
until temporal operator cluster health --address "$ADDRESS" >/dev/null 2>&1; do
  if [ "$attempt" -ge 60 ]; then
    echo "Temporal at $ADDRESS is not healthy after $attempt attempts" >&2
    exit 1
  fi
  attempt=$((attempt + 1))
  sleep 2
done

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
  attempt=1
  until temporal operator search-attribute create --address "$ADDRESS" --namespace "$NAMESPACE" \
      --name "$name" --type Keyword; do
    if [ "$attempt" -ge 15 ]; then
      echo "could not create search attribute $name" >&2
      exit 1
    fi
    attempt=$((attempt + 1))
    sleep 2
  done
  echo "search attribute $name created"
done
