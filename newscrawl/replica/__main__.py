"""``python -m newscrawl.replica --port 8080 --posts 100``: serve a generated Blogger blog until Ctrl-C.

``--blogs N`` serves N distinct blogs (seeds SEED, SEED+1 ...), each on its own port from
``--port`` (0: any free ports), and prints their URLs one per line."""

from __future__ import annotations

import argparse
import signal
import sys
import time

from .blogsite import FEED_MODES
from .formats import COMMENT_TIMESTAMP_FORMATS, LANGUAGES
from .model import generate_blog
from .render import TEMPLATES
from .server import ReplicaServer, start_blogs, stop_blogs
from .states import STATES


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m newscrawl.replica",
                                 description="Serve a deterministic generated Blogger blog on 127.0.0.1.")
    ap.add_argument("--port", type=int, default=0, help="port to listen on (0: any free port)")
    ap.add_argument("--blogs", type=int, default=1, help="number of distinct blogs, one port each from --port")
    ap.add_argument("--posts", type=int, default=30, help="number of posts")
    ap.add_argument("--comments-per-post", type=int, default=5, help="average comments per post")
    ap.add_argument("--big-post-comments", type=int, default=320,
                    help="comments on one big post (more than a page of 200); 0 disables")
    ap.add_argument("--seed", type=int, default=1, help="random seed: same seed, same blog")
    ap.add_argument("--template", choices=sorted(TEMPLATES), default="minima", help="page markup family")
    ap.add_argument("--feeds", choices=FEED_MODES, default="full", help="blog feed setting")
    ap.add_argument("--feed-cap", type=int, default=150, help="largest max-results a feed honours")
    ap.add_argument("--language", choices=LANGUAGES, default="en")
    ap.add_argument("--state", choices=STATES, default="ok",
                    help="what the blog address serves: the blog, or a private/removed/content-warning page")
    ap.add_argument("--timezone", default="America/Los_Angeles", help="IANA timezone of the blog")
    ap.add_argument("--comment-timestamp-format", default=None,
                    help=f"a name ({', '.join(COMMENT_TIMESTAMP_FORMATS)}) or a SimpleDateFormat pattern")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    if args.blogs > 1:
        return serve_many(args, t0)
    blog = generate_blog(posts=args.posts, comments_per_post=args.comments_per_post, seed=args.seed,
                         language=args.language, timezone=args.timezone, big_post_comments=args.big_post_comments,
                         comment_timestamp_format=args.comment_timestamp_format)
    n_comments = sum(len(p.comments) for p in blog.posts)
    server = ReplicaServer(blog, template=args.template, feeds=args.feeds, feed_cap=args.feed_cap,
                           port=args.port, state=args.state)
    server.serve_until_stopped(
        f"Replica blog {blog.title!r}: {len(blog.posts)} posts, {n_comments} comments "
        f"(generated in {time.perf_counter() - t0:.1f}s), template={args.template}, feeds={args.feeds}, "
        f"language={args.language}, state={args.state}")
    return 0


def serve_many(args: argparse.Namespace, t0: float) -> int:
    servers = start_blogs(args.blogs, port=args.port, seed=args.seed, posts=args.posts,
                          comments_per_post=args.comments_per_post, template=args.template, feeds=args.feeds,
                          feed_cap=args.feed_cap, state=args.state)
    print(f"{len(servers)} replica blogs of {args.posts} posts (started in {time.perf_counter() - t0:.1f}s), "
          f"template={args.template}, feeds={args.feeds} (Ctrl-C stops them)", file=sys.stderr)
    print("\n".join(server.url for server in servers), flush=True)

    def terminate(signum, frame) -> None:  # SIGTERM: stop like Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminate)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        stop_blogs(servers)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
