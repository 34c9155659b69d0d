#!/bin/sh
# Installs this bundle for the current user: the folder stays where it is, a
# launcher entry and an icon go where desktop environments look for them.
#   ./install.sh            install
#   ./install.sh --remove   undo
set -eu

here="$(cd "$(dirname "$0")" && pwd)"
data="${XDG_DATA_HOME:-$HOME/.local/share}"
entry="$data/applications/expense-tracker.desktop"
icon="$data/icons/hicolor/512x512/apps/expense-tracker.png"

if [ "${1:-}" = "--remove" ]; then
    rm -f "$entry" "$icon"
    echo "removed $entry and $icon"
    exit 0
fi

mkdir -p "$(dirname "$entry")" "$(dirname "$icon")"
cp "$here/expense-tracker.png" "$icon"
# The entry in the folder says Exec=expense-tracker; point it at this copy.
sed "s|^Exec=.*|Exec=\"$here/expense-tracker\"|" "$here/expense-tracker.desktop" >"$entry"
chmod 0644 "$entry"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$(dirname "$entry")" || true
echo "installed $entry"
