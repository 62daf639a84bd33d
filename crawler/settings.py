"""Crawler settings: polite by default.  Tests and ``run_crawl(settings=…)`` override them;
production uses these values (tests/test_crawler_components.py checks they stay polite).

Our own settings are listed in ``GONGKAI_SETTINGS`` below, each with its default and a
sentence; crawler/README.md documents them and a test keeps the two in step.
"""

from gongkai.crawler.canonical import SESSION_PARAMS as _SESSION_PARAMS

BOT_NAME = "gongkai"
SPIDER_MODULES = ["gongkai.crawler.spiders"]
NEWSPIDER_MODULE = "gongkai.crawler.spiders"

# -- who we are ----------------------------------------------------------------------------
# The project's public page, where a portal's webmaster finds who crawls and how to reach us.
# (Not yet published: operators should set their own with --user-agent / -s USER_AGENT=….)
GONGKAI_CONTACT_URL = "https://github.com/gongkai-archive/gongkai"
USER_AGENT = f"gongkai/0.1 (+{GONGKAI_CONTACT_URL}; open archive of budget disclosures)"

# -- politeness ----------------------------------------------------------------------------
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
RETRY_TIMES = 2
DOWNLOAD_TIMEOUT = 60
DOWNLOAD_MAXSIZE = 512 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = True
# Many county portals still run old TLS stacks (1024-bit DH, SHA-1 certificates) that
# OpenSSL 3's default security level refuses; certificates are not verified by Scrapy anyway.
DOWNLOADER_CLIENT_TLS_CIPHERS = "DEFAULT:@SECLEVEL=1"
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no listening ports on a crawler that runs from cron
LOG_LEVEL = "INFO"
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
}

# One fingerprint per canonical URL (``/x/`` and ``/x/index.html`` are one page).
REQUEST_FINGERPRINTER_CLASS = "gongkai.crawler.canonical.CanonicalFingerprinter"

# Scrapy-playwright needs the asyncio reactor (Scrapy's default since 2.13; stated here so
# no overlay changes it).
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"

# -- components, in order (lower numbers run first on requests, last on responses) ---------
SPIDER_MIDDLEWARES = {
    "gongkai.crawler.middlewares.sessionid.SessionIdMiddleware": 950,
}
# Responses pass these from the highest number down: Scrapy's HttpCompressionMiddleware (590)
# must have unzipped a body before the challenge and encoding components read it.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "gongkai.crawler.middlewares.robots.RobotsCrawlDelayMiddleware": 100,
    "gongkai.crawler.middlewares.conditional.ConditionalRequestMiddleware": 560,
    "gongkai.crawler.middlewares.encoding.EncodingMiddleware": 570,
    "gongkai.crawler.middlewares.challenge.ChallengeMiddleware": 580,
    "gongkai.crawler.middlewares.render.RenderMiddleware": 585,
}
EXTENSIONS = {
    "gongkai.crawler.progress.CrawlProgress": 500,
}
ITEM_PIPELINES = {
    "gongkai.crawler.pipelines.ArchivePipeline": 300,
}
# Chromium through scrapy-playwright, only for requests that ask for it (challenges,
# sites marked ``javascript: true``); every other request uses Scrapy's own downloader.
DOWNLOAD_HANDLERS = {
    "http": "gongkai.crawler.browser.LazyPlaywrightHandler",
    "https": "gongkai.crawler.browser.LazyPlaywrightHandler",
}
PLAYWRIGHT_BROWSER_TYPE = "chromium"
PLAYWRIGHT_LAUNCH_OPTIONS = {
    "executable_path": "/usr/bin/chromium",
    "headless": True,
    "args": ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
}
PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT = 30_000  # ms
PLAYWRIGHT_ABORT_REQUEST = "gongkai.crawler.browser.skip_heavy_resources"
PLAYWRIGHT_MAX_CONTEXTS = 2
PLAYWRIGHT_MAX_PAGES_PER_CONTEXT = 2

# -- gongkai's own settings (name: default — meaning) ----------------------------------------
GONGKAI_SETTINGS = {
    "GONGKAI_ARCHIVE": (None, "The SQLite archive that receives fetches, files and the run."),
    "GONGKAI_MAX_PAGES": (5000, "Stop following new pages after this many per run (0: no limit)."),
    "GONGKAI_IDLE_TIMEOUT": (0, "Seconds an idle worker waits for a shared frontier before closing."),
    "GONGKAI_FRONTIER_TTL": (2 * 24 * 3600, "Seconds a shared Redis frontier is kept after a worker closes."),
    "LOOPBACK_NO_DELAY": (True, "No politeness delay when every start URL is on 127.0.0.1 or localhost."),
    "FOCUS_MAX_DRIFT": (1, "Off-topic links followed in a row before the crawler turns back."),
    "ROBOTS_CRAWL_DELAY_MAX": (30, "Longest robots.txt Crawl-delay (seconds) the crawler honours."),
    "SESSION_ID_ENABLED": (True, "Strip session ids from URLs so one page is fetched once."),
    "SESSION_ID_PARAMS": (list(_SESSION_PARAMS), "Query parameters (case-insensitive) that carry a session id."),
    "CONDITIONAL_REQUESTS_ENABLED": (True, "Send If-None-Match/If-Modified-Since for archived files."),
    "CHALLENGE_ENABLED": (True, "Solve 521/412 cookie challenges in Chromium and reuse the cookie."),
    "CHALLENGE_STATUSES": ([521, 412], "HTTP statuses whose script-only body is a cookie challenge."),
    "CHALLENGE_TIMEOUT": (15, "Seconds Chromium gets to set the challenge cookie."),
    "RENDER_ENABLED": (True, "Render a list page built by scripts once in Chromium and learn its list endpoints."),
    "SHARED_POLITENESS_ENABLED": (True, "With --redis-url, space every worker's requests to a site by the site's delay."),
    "ENCODING_FIX_ENABLED": (True, "Decode GBK/GB2312 pages that declare a wrong or no charset."),
    "PROGRESS_ENABLED": (True, "Show the crawl's progress on stderr (a bar on a terminal, log lines otherwise)."),
    "PROGRESS_INTERVAL": (5.0, "Seconds between progress lines when stderr is not a terminal."),
    "FIRST_PAGE_TIMEOUT": (20, "Seconds allowed to read a PDF's first page when its names say nothing."),
    "FIRST_PAGE_MAX_MEMORY": (256, "MiB allowed to read a PDF's first page (a decompression bomb stops there)."),
    "PAGE_MAX_SIZE": (8 * 1024 * 1024, "Bytes of a page or list answer the crawler reads; a larger one is an error row, not parsed."),
    "PAGE_MAX_LINKS": (5000, "Links followed from one page; the rest are counted in the stats and logged."),
}
for _name, (_default, _help) in GONGKAI_SETTINGS.items():
    globals().setdefault(_name, _default)
