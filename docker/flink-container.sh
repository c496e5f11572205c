#!/usr/bin/env bash
# Entry point of the Flink containers of flink-compose.yml (JobManager, TaskManagers, the submit client).
#
# The official image's /docker-entrypoint.sh rewrites conf/config.yaml in place on every start, so the repository's
# conf/ is mounted read-only at /opt/patterns/conf and copied in here. Then the settings that must differ in a
# container (conf/config.yaml binds everything to localhost) are applied with the image's own tool,
# bin/config-parser-utils.sh, which writes standard YAML:
#   FLINK_CONFIG_OVERRIDES  lines "key: value" (values without spaces: the tool splits its arguments on them)
#   FLINK_CONFIG_REMOVE     keys to drop, separated by spaces
# Finally the image's entry point runs with the container's command (jobmanager, taskmanager, or e.g. flink run).
# (Java 17's module flags, which the image keeps in its own config.yaml, come from JVM_ARGS: see flink-compose.yml.)
set -euo pipefail

# Where the repository's conf/ is mounted, and the image's entry point (other values only in ComposeFileTest).
repository_conf="${PATTERNS_CONF_DIR:-/opt/patterns/conf}"
image_entrypoint="${FLINK_IMAGE_ENTRYPOINT:-/docker-entrypoint.sh}"

conf_dir="$FLINK_HOME/conf"
cp "$repository_conf/config.yaml" "$conf_dir/config.yaml"

args=()
while IFS= read -r line; do
  line="${line#"${line%%[![:space:]]*}"}"
  [ -z "$line" ] && continue
  key="${line%%:*}"
  key="${key%"${key##*[![:space:]]}"}"
  value="${line#*:}"
  value="${value#"${value%%[![:space:]]*}"}"
  value="${value%"${value##*[![:space:]]}"}"
  args+=("-D${key}=${value}")
done <<< "${FLINK_CONFIG_OVERRIDES:-}"
for key in ${FLINK_CONFIG_REMOVE:-}; do
  args+=(-rmKey "$key")
done
if [ "${#args[@]}" -gt 0 ]; then
  bash "$FLINK_HOME/bin/config-parser-utils.sh" "$conf_dir" "$FLINK_HOME/bin" "$FLINK_HOME/lib" "${args[@]}"
fi

exec "$image_entrypoint" "$@"
