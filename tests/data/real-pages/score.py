"""Score `newscrawl extract FILE --url URL` against a hand-built answer key (keys.json) for a folder of saved pages.
Usage, from the project root with newscrawl installed:
    python tests/data/real-pages/score.py [KEYS.json [PAGES_DIR [MIN_RATIO]]]
Defaults: tests/data/real-pages/keys.json and the folder holding it (e.g. /work/extra-real-pages/keys.json for the
local-only set). Uses the pairing rules of ../shared/tools/score_real_pages.py (imported by path when present: pair by
position; author must match; published_utc to the second, or published_local as wall clock; parent only reply-or-not;
pingbacks counted apart). Without that file, the same rules as the tests keep them
(tests/real_pages/real_page_fixtures.py: comment_problems) are used."""
import importlib.util, json, pathlib, sys

HERE = pathlib.Path(__file__).resolve().parent
SHARED = HERE.parents[3].parent / "shared" / "tools" / "score_real_pages.py"   # /work/shared/tools/...


def load_scorer():
    for cand in (SHARED, pathlib.Path("../shared/tools/score_real_pages.py").resolve()):
        if cand.exists():
            spec = importlib.util.spec_from_file_location("score_real_pages", cand)
            mod = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(mod)
            return mod
    return None


def fallback_main(keyfile, root, min_ratio):
    import shutil, subprocess
    sys.path.insert(0, str(HERE.parents[1] / "real_pages"))
    from real_page_fixtures import comment_problems  # the same rules, the copy the tests use
    key = json.load(open(keyfile)); want = got_ok = fp = 0
    for f, k in key.items():
        r = subprocess.run([shutil.which("newscrawl"), "extract", str(root / f), "--url", k["url"]], capture_output=True, text=True)
        exp = k["comments"]; want += len(exp)
        if r.returncode:
            print(f"  {f}: error"); continue
        allc = json.loads(r.stdout).get("comments") or []
        got = [g for g in allc if str(g.get("comment_type") or g.get("type") or "").lower() not in ("pingback", "trackback")]
        ok = sum(not comment_problems(e, g) for e, g in zip(exp, got))
        got_ok += ok; fp += 0 if exp else len(got)
        print(f"  {f}: comments {ok}/{len(exp)} right, {len(got)} returned")
    ratio = got_ok / want if want else 1.0
    print(f"comments right: {got_ok}/{want} ({ratio:.0%}); false comments on comment-less pages: {fp}")
    sys.exit(0 if ratio >= min_ratio and fp == 0 else 1)


def main():
    keyfile = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else HERE / "keys.json"
    root = pathlib.Path(sys.argv[2]) if len(sys.argv) > 2 else keyfile.resolve().parent
    min_ratio = float(sys.argv[3]) if len(sys.argv) > 3 else 0.95
    mod = load_scorer()
    if mod is None:
        return fallback_main(keyfile, root, min_ratio)
    mod.PAGES = root            # the shared scorer reads pages relative to its PAGES root
    mod.main(str(keyfile), min_ratio)


if __name__ == "__main__":
    main()
