#!/usr/bin/env python3
"""The baseline of benches/oneroster-walk: a plain Python `requests` loop that walks OneRoster 1.2
collections the way a minimal consumer would, checking nothing.

One OAuth 2 client-credentials token (HTTP Basic client auth, the read scopes), then for each
collection in the order given: GET {base}/{service}/v1p2/{path}?limit=L&offset=O with the bearer
token, parse the JSON, count the items under the wrapper key, advance the offset by the items
received, stop on a short (or empty) page. One keep-alive `requests.Session`, one request at a
time. No validation, no Link or X-Total-Count checks, nothing kept but counters.

Prints one JSON object: requests made (token included), items per collection, wall time.
Needs Python 3 and requests (Debian: python3-requests).
"""

import argparse
import json
import sys
import time

import requests

SCOPES = " ".join("https://purl.imsglobal.org/spec/or/v1p2/scope/" + s for s in (
    "roster-core.readonly", "roster.readonly", "roster-demographics.readonly",
    "gradebook.readonly", "resource.readonly"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base-url", required=True, help="the config's base_url (…/ims/oneroster)")
    ap.add_argument("--token-url", required=True)
    ap.add_argument("--client-id", required=True)
    ap.add_argument("--secret-file", required=True, help="file holding the client secret")
    ap.add_argument("--ca", required=True, help="CA bundle (PEM) the provider's certificate chains to")
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--proxy", help="send everything through this proxy (the bench's request counter)")
    ap.add_argument("--collections", required=True,
                    help="comma-separated service/path=wrapper, e.g. rostering/users=users")
    args = ap.parse_args()

    with open(args.secret_file) as fh:
        secret = fh.read().strip()
    session = requests.Session()
    # Per request: a session-level `verify` loses to $REQUESTS_CA_BUNDLE in requests.
    ca = args.ca
    proxies = {"https": args.proxy} if args.proxy else None
    t0 = time.perf_counter()
    r = session.post(args.token_url, data={"grant_type": "client_credentials", "scope": SCOPES},
                     auth=(args.client_id, secret), timeout=60, verify=ca,
                     proxies=proxies)
    r.raise_for_status()
    session.headers["Authorization"] = "Bearer " + r.json()["access_token"]
    requests_made = 1
    base = args.base_url.rstrip("/")
    per_collection = {}
    for spec in args.collections.split(","):
        target, key = spec.split("=")
        service, path = target.split("/", 1)
        url = "%s/%s/v1p2/%s" % (base, service, path)
        offset = 0
        items = 0
        pages = 0
        while True:
            r = session.get(url, params={"limit": args.limit, "offset": offset}, timeout=120,
                            verify=ca, proxies=proxies)
            requests_made += 1
            pages += 1
            r.raise_for_status()
            n = len(r.json()[key])
            items += n
            offset += n
            if n < args.limit:
                break
        per_collection[target] = {"items": items, "pages": pages}
    wall = time.perf_counter() - t0
    json.dump({"requests": requests_made, "wall_s_inside": round(wall, 3),
               "items": sum(c["items"] for c in per_collection.values()),
               "collections": per_collection}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
