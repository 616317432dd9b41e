#!/usr/bin/env python3
"""Signs in N new accounts through the balancer and keeps their cookies (sign-in), or counts how many of those
sessions are still signed in (check): the Redis failover experiment's count of sessions that survived.
Standard library only; talks to 127.0.0.1 only.
  session_census.py sign-in http://127.0.0.1:27500 <dir> 30
  session_census.py check   http://127.0.0.1:27500 <dir> 30"""
import http.cookiejar
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

action, base, folder, count = sys.argv[1], sys.argv[2].rstrip("/"), sys.argv[3], int(sys.argv[4])
if not re.match(r"^http://127\.0\.0\.1:\d+$", base):
    sys.exit("only a local balancer (http://127.0.0.1:<port>) is ever a target")
PASSWORD = "census password 1"
os.makedirs(folder, exist_ok=True)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def client(jar):
    return urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)


def call(opener, path, form=None):
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    try:
        with opener.open(urllib.request.Request(base + path, data=data), timeout=20) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def csrf(page):
    m = re.search(r'name="_csrf" value="([^"]+)"', page)
    return m.group(1) if m else ""


def jar_file(i):
    return os.path.join(folder, f"session-{i}.cookies")


if action == "sign-in":
    signed_in = 0
    for i in range(count):
        email = f"census-{int(time.time())}-{i}@example.com"
        jar = http.cookiejar.LWPCookieJar(jar_file(i))
        c = client(jar)
        _, page = call(c, "/signup/")
        call(c, "/signup/", {"_csrf": csrf(page), "email": email, "password": PASSWORD, "repeatPassword": PASSWORD})
        _, page = call(c, "/signin/")
        status, _ = call(c, "/signin/", {"_csrf": csrf(page), "email": email, "password": PASSWORD})
        status_home, home = call(c, "/")
        ok = status == 302 and status_home == 200 and email in home
        signed_in += ok
        jar.save(ignore_discard=True)
        with open(jar_file(i) + ".email", "w") as f:
            f.write(email if ok else "")
    print(json.dumps({"signedInBefore": signed_in, "tried": count}))
    json.dump({"signedInBefore": signed_in, "tried": count}, open(os.path.join(folder, "before.json"), "w"))
else:
    still, signed_out, other = 0, 0, {}
    for i in range(count):
        email = open(jar_file(i) + ".email").read()
        if not email:
            continue
        jar = http.cookiejar.LWPCookieJar(jar_file(i))
        jar.load(ignore_discard=True)
        status, home = call(client(jar), "/")
        if status == 200 and email in home:
            still += 1
        elif status == 302:
            signed_out += 1
        else:
            other[str(status)] = other.get(str(status), 0) + 1
    before = json.load(open(os.path.join(folder, "before.json")))
    result = {"signedInBefore": before["signedInBefore"], "stillSignedIn": still, "signedOut": signed_out, "otherAnswers": other}
    json.dump(result, open(os.path.join(folder, "after.json"), "w"))
    print(json.dumps(result))
