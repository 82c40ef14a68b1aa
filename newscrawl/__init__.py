"""newscrawl: track news-commentary blogs (posts and every reader comment) into SQLite."""

__version__ = "0.1.0"

DEFAULT_DB_PATH = "data/newscrawl.db"
