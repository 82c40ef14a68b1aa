"""Serve a generated replica blog in its own process and report what it was asked for.

    python bench/replica_proc.py --posts 2000 --comments-per-post 20 --feeds none

Prints the blog URL on the first stdout line, then answers commands read from stdin, one per
line: ``requests`` (one JSON line: the request paths since the last ``reset``), ``reset``,
``quit``.  The replica runs in this process so that it does not compete with the crawler for
the GIL; the request log is the replica's own ``ReplicaServer.requests``.
"""

from __future__ import annotations

import argparse
import json
import sys

from newscrawl.replica import ReplicaServer, generate_blog


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--posts", type=int, required=True)
    ap.add_argument("--comments-per-post", type=int, required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--template", default="minima")
    ap.add_argument("--feeds", default="full")
    ap.add_argument("--feed-cap", type=int, default=150)
    args = ap.parse_args()
    blog = generate_blog(posts=args.posts, comments_per_post=args.comments_per_post, seed=args.seed,
                         big_post_comments=0)
    server = ReplicaServer(blog, template=args.template, feeds=args.feeds, feed_cap=args.feed_cap).start()
    comments = sum(len(p.comments) for p in blog.posts)
    print(json.dumps({"url": server.url, "posts": len(blog.posts), "comments": comments}), flush=True)
    try:
        for line in sys.stdin:
            command = line.strip()
            if command == "requests":
                print(json.dumps(list(server.requests)), flush=True)
            elif command == "reset":
                server.requests.clear()
                print("ok", flush=True)
            elif command == "quit":
                break
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
