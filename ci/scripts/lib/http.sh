# shellcheck shell=bash
# Sourced by the container smoke test and the compose exercise: drive the Notejam forms with curl.
# Each function takes the base URL (http://127.0.0.1:PORT) and a cookie jar file.

# Value of the hidden _csrf field in an HTML page read from stdin.
csrf_token() {
  tr '\n' ' ' | grep -o '<input[^>]*name="_csrf"[^>]*>' | head -n 1 | sed -n 's/.*value="\([^"]*\)".*/\1/p'
}

# GET a page with the cookie jar; prints the body, fails on a status other than 200.
http_get_page() {
  local base="$1" jar="$2" path="$3" out status
  out=$(mktemp)
  status=$(curl -sS -o "$out" -w '%{http_code}' -b "$jar" -c "$jar" --max-time 20 "$base$path") || { rm -f "$out"; return 1; }
  if [ "$status" != 200 ]; then
    echo "GET $path answered $status" >&2
    rm -f "$out"
    return 1
  fi
  cat "$out"
  rm -f "$out"
}

# POST a form (urlencoded fields after the path) with the page's CSRF token.
# Prints "<status> <location>" and leaves the body in "<jar>.body" (callers run it in a subshell).
http_post_form() {
  local base="$1" jar="$2" path="$3"
  shift 3
  local token args=()
  token=$(http_get_page "$base" "$jar" "$path" | csrf_token)
  [ -n "$token" ] || { echo "no _csrf field on $path" >&2; return 1; }
  args=(--data-urlencode "_csrf=$token")
  local field
  for field in "$@"; do
    args+=(--data-urlencode "$field")
  done
  curl -sS -o "$jar.body" -w '%{http_code} %{redirect_url}\n' -b "$jar" -c "$jar" --max-time 20 \
    "${args[@]}" "$base$path"
}

# Sign up then sign in; fails with a message unless both answer as the contract says.
notejam_signup_signin() {
  local base="$1" jar="$2" email="$3" password="$4" result body="$2.body"
  result=$(http_post_form "$base" "$jar" /signup/ "email=$email" "password=$password" "repeatPassword=$password")
  case "$result" in
    "302 "*/signin/) echo "sign-up: $result" >&2 ;;
    *) echo "sign-up answered '$result'" >&2; head -c 2000 "$body" >&2; return 1 ;;
  esac
  result=$(http_post_form "$base" "$jar" /signin/ "email=$email" "password=wrong-$password")
  if [[ "$result" != "200 "* ]] || ! grep -q "Wrong email or password" "$body"; then
    echo "sign-in with a wrong password answered '$result' without the error message" >&2
    return 1
  fi
  echo "sign-in with a wrong password: 200 with 'Wrong email or password'" >&2
  result=$(http_post_form "$base" "$jar" /signin/ "email=$email" "password=$password")
  case "$result" in
    "302 $base/") echo "sign-in: $result" >&2 ;;
    *) echo "sign-in answered '$result'" >&2; return 1 ;;
  esac
  grep -q $'\tSESSION\t' "$jar" || { echo "no SESSION cookie after sign-in" >&2; return 1; }
  # The signed-in home page shows the account's email.
  http_get_page "$base" "$jar" / | grep -F "$email" >/dev/null || { echo "home page after sign-in does not show $email" >&2; return 1; }
  echo "home page after sign-in shows $email" >&2
}
