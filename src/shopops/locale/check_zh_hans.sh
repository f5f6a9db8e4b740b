#!/bin/sh
# Check the Simplified Chinese catalog: every msgid translated, nothing fuzzy, .mo up to date.
# Usage: sh src/shopops/locale/check_zh_hans.sh   (exit status 1 on any problem)
set -u
dir=$(dirname "$0")/zh_Hans/LC_MESSAGES
po=$dir/django.po
mo=$dir/django.mo
status=0
msgfmt --check --statistics -o /dev/null "$po" || status=1
# msgattrib prints the header entry too when anything is untranslated; count real entries only.
empty=$(msgattrib --untranslated --no-wrap "$po" | grep -c '^msgid "..*"$')
fuzzy=$(msgattrib --only-fuzzy --no-wrap "$po" | grep -c '^msgid "..*"$')
echo "empty msgstr: $empty"
echo "fuzzy: $fuzzy"
[ "$empty" -eq 0 ] && [ "$fuzzy" -eq 0 ] || status=1
if [ ! -f "$mo" ] || [ "$po" -nt "$mo" ]; then
    echo "django.mo is missing or older than django.po: run compilemessages"; status=1
elif ! msgfmt -o - "$po" | cmp -s - "$mo"; then
    echo "django.mo does not match django.po: run compilemessages"; status=1
fi
exit $status
