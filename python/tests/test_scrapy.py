"""neardup.scrapy.DedupPipeline: real Scrapy crawls of a site served on 127.0.0.1 by the test, and
the pipeline's decisions one item at a time. Skipped without Scrapy (apt-get install python3-scrapy).

Each crawl runs in a subprocess of its own: a Twisted reactor cannot be started twice in one process."""
import functools
import glob
import html
import http.server
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import unittest

import neardup

try:
    import scrapy
    from scrapy.exceptions import DropItem, NotConfigured
    from scrapy.utils.test import get_crawler
except ImportError:
    scrapy = None

FIXTURES = os.environ.get("NEARDUP_FIXTURES", os.path.join(os.path.dirname(__file__), "../../fixtures"))
SHARED = os.environ.get("NEARDUP_SHARED", os.path.join(os.path.dirname(__file__), "../../../shared"))
SEEDS = sorted(glob.glob(os.path.join(FIXTURES, "seeds", "*.txt")))
# Seeds with a copy under another header and footer (seed 1 twice): near duplicates, not exact ones.
COPIED = [0, 1, 1, 3, 4]
# In the seeds, 004 (Gujarati) is a translation of 001 (Hindi): the golden pairs say so.
TRANSLATION = (1, 4)

CRAWL_SCRIPT = r'''
import json, sys
import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess

start_url, index, extra = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
kept, dropped = [], []


class Site(scrapy.Spider):
    name = "site"
    start_urls = [start_url]

    def parse(self, response):
        links = response.css("a::attr(href)").getall()
        for rank, href in enumerate(links):
            # With one request at a time, pages are fetched in link order: originals before copies.
            yield response.follow(href, self.parse_page, priority=len(links) - rank)

    def parse_page(self, response):
        yield {"url": response.url, "title": response.css("title::text").get(),
               "text": "\n".join(response.css("p::text").getall())}


settings = {"ITEM_PIPELINES": {"neardup.scrapy.DedupPipeline": 300}, "NEARDUP_INDEX": index,
            "CONCURRENT_REQUESTS": 1, "ROBOTSTXT_OBEY": False, "TELNETCONSOLE_ENABLED": False,
            "LOG_LEVEL": "ERROR", "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7"}
settings.update(extra)
process = CrawlerProcess(settings)
crawler = process.create_crawler(Site)


# Named functions: Scrapy holds signal handlers by weak reference, and a lambda would be collected.
def scraped(item, response, spider):
    kept.append({k: v for k, v in item.items() if k != "text"})


def dropped_item(item, response, exception, spider):
    dropped.append({"url": item["url"], "message": str(exception)})


crawler.signals.connect(scraped, signals.item_scraped)
crawler.signals.connect(dropped_item, signals.item_dropped)
process.crawl(crawler)
process.start()
stats = {k: v for k, v in crawler.stats.get_stats().items() if isinstance(v, (int, float, str))}
print(json.dumps({"kept": kept, "dropped": dropped, "stats": stats}))
'''


def seed_lines(path):
    with open(path, encoding="utf-8") as f:
        return [line.strip() for line in f if line.strip()]


def write_page(path, title, lines):
    paragraphs = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title></head>\n"
                f"<body>\n{paragraphs}\n</body></html>\n")


def write_index(folder, names):
    links = "\n".join(f'<li><a href="{name}">{name}</a></li>' for name in names)
    with open(os.path.join(folder, "index.html"), "w", encoding="utf-8") as f:
        f.write(f"<!doctype html>\n<html><head><title>pages</title></head><body><ul>\n{links}\n</ul></body></html>\n")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Site:
    """A folder served over HTTP on 127.0.0.1, on a port of the system's choosing."""

    def __init__(self, folder):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=folder))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def crawl(test, site, index, **settings):
    """The items kept and dropped by a crawl of site through DedupPipeline, and the crawl's stats."""
    # A file, not -c: Scrapy reads the source of the spider's callbacks.
    script = os.path.join(os.path.dirname(index), "crawl.py")
    with open(script, "w", encoding="utf-8") as f:
        f.write(CRAWL_SCRIPT)
    done = subprocess.run([sys.executable, script, site.url + "index.html", index, json.dumps(settings)],
                          capture_output=True, text=True, timeout=500)
    test.assertEqual(done.returncode, 0, done.stderr[-3000:])
    test.assertNotIn("Traceback", done.stderr, done.stderr[-3000:])
    return json.loads(done.stdout.splitlines()[-1])


def report_speed(what, result):
    stats = result["stats"]
    items = len(result["kept"]) + len(result["dropped"])
    seconds = stats.get("neardup/seconds", 0.0)
    elapsed = stats.get("elapsed_time_seconds", 0.0)
    print(f"\n{what}: {items} pages ({len(result['kept'])} kept), {seconds:.3f} s in the pipeline = "
          f"{items / seconds if seconds else 0:.0f} pages/s through it; the whole crawl {elapsed:.2f} s = "
          f"{items / elapsed if elapsed else 0:.0f} pages/s", file=sys.stderr)


@unittest.skipIf(scrapy is None, "Scrapy is not installed (apt-get install python3-scrapy)")
class Crawl(unittest.TestCase):
    """The seeds and near copies of some of them, crawled twice into one index."""

    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.mkdtemp(prefix="neardup-scrapy-")
        site = os.path.join(cls.folder, "site")
        os.makedirs(site)
        cls.originals, cls.copies = [], []  # page names; copies: (name, name of the original)
        for i, path in enumerate(SEEDS):
            name = f"story-{i}.html"
            write_page(os.path.join(site, name), os.path.basename(path), seed_lines(path))
            cls.originals.append(name)
        for n, i in enumerate(COPIED):
            lines = seed_lines(SEEDS[i])
            # Another site's header and footer around the same story.
            lines = [f"Aggregated by newsroom-{n}.example: top stories"] + lines[1:] + [f"(c) newsroom-{n}.example"]
            name = f"copy-{n}-of-{i}.html"
            write_page(os.path.join(site, name), f"copy {n}", lines)
            cls.copies.append((name, cls.originals[i]))
        write_index(site, cls.originals + [name for name, _ in cls.copies])
        cls.site = Site(site)

    @classmethod
    def tearDownClass(cls):
        cls.site.close()
        shutil.rmtree(cls.folder)

    def url(self, name):
        return self.site.url + name

    def test_seeds_are_ten_pages_of_which_five_are_near_copies(self):
        self.assertEqual(len(SEEDS), 5)
        self.assertEqual(len(self.originals) + len(self.copies), 10)

    def test_first_crawl_keeps_the_distinct_pages_and_the_second_none(self):
        index = os.path.join(self.folder, "first-and-second.ndx")
        first = crawl(self, self.site, index)
        report_speed("first crawl", first)
        self.assertEqual(sorted(item["url"] for item in first["kept"]), sorted(self.url(n) for n in self.originals))
        dropped = {d["url"]: d["message"] for d in first["dropped"]}
        self.assertEqual(sorted(dropped), sorted(self.url(name) for name, _ in self.copies))
        for name, original in self.copies:
            message = dropped[self.url(name)]
            self.assertRegex(message, rf"is a near-duplicate of {self.url(original)} \(score 0\.\d+\)$")
        self.assertEqual(first["stats"]["neardup/added"], 5)
        self.assertEqual(first["stats"]["neardup/near-duplicate"], 5)
        kept = {item["url"]: item for item in first["kept"]}
        a, b = (self.url(self.originals[i]) for i in TRANSLATION)
        self.assertEqual([t["id"] for t in kept[b]["neardup_translations"]], [a])
        self.assertNotIn("neardup_translations", kept[a])

        second = crawl(self, self.site, index)
        report_speed("second crawl", second)
        self.assertEqual(second["kept"], [])
        dropped = {d["url"]: d["message"] for d in second["dropped"]}
        self.assertEqual(len(dropped), 10)
        for name in self.originals:
            self.assertRegex(dropped[self.url(name)],
                             rf"is an exact-duplicate of {self.url(name)} \(score 1\.000\), already indexed$")
        for name, original in self.copies:
            self.assertRegex(dropped[self.url(name)], rf"is a near-duplicate of {self.url(original)} \(score 0\.\d+\)$")
        with neardup.PersistentIndex.open(index) as idx:
            self.assertEqual(idx.stats().documents, 5)
            # Checkpointed at close: everything is in the snapshot, nothing left in the log.
            self.assertEqual(idx.stats().log_records, 0)

    def test_with_drop_translations_a_translation_is_dropped_and_not_indexed(self):
        index = os.path.join(self.folder, "drop-translations.ndx")
        result = crawl(self, self.site, index, NEARDUP_DROP_TRANSLATIONS=True)
        a, b = (self.url(self.originals[i]) for i in TRANSLATION)
        self.assertEqual(sorted(item["url"] for item in result["kept"]),
                         sorted(self.url(n) for n in self.originals if self.url(n) != b))
        dropped = {d["url"]: d["message"] for d in result["dropped"]}
        self.assertRegex(dropped[b], rf"is a translation of {a} \(score 0\.\d+\)$")
        with neardup.PersistentIndex.open(index) as idx:
            self.assertFalse(idx.contains(b))
            self.assertEqual(idx.stats().documents, 4)


@unittest.skipIf(scrapy is None, "Scrapy is not installed (apt-get install python3-scrapy)")
@unittest.skipUnless(os.path.isfile(os.path.join(SHARED, "data", "ntrex-dev", "docs.jsonl")), "no ../shared/data/ntrex-dev")
class CrawlDev(unittest.TestCase):
    """ntrex-dev's 1054 documents (a story in many languages each) as pages, 16 requests at a
    time: the pipeline's throughput on real pages, and every page seen on the second crawl."""

    def test_second_crawl_of_ntrex_dev_keeps_nothing(self):
        folder = tempfile.mkdtemp(prefix="neardup-scrapy-dev-")
        self.addCleanup(shutil.rmtree, folder)
        site_folder = os.path.join(folder, "site")
        os.makedirs(site_folder)
        names = []
        with open(os.path.join(SHARED, "data", "ntrex-dev", "docs.jsonl"), encoding="utf-8") as f:
            for line in f:
                doc = json.loads(line)
                names.append(f"{doc['id']}.html")
                write_page(os.path.join(site_folder, names[-1]), doc["id"], [l for l in doc["text"].splitlines() if l.strip()])
        write_index(site_folder, names)
        site = Site(site_folder)
        self.addCleanup(site.close)
        index = os.path.join(folder, "dev.ndx")
        first = crawl(self, site, index, CONCURRENT_REQUESTS=16)
        report_speed("ntrex-dev, first crawl", first)
        self.assertEqual(len(first["kept"]) + len(first["dropped"]), len(names))
        self.assertGreater(len(first["kept"]), len(names) // 2)
        self.assertGreater(first["stats"].get("neardup/translation", 0), len(names) // 2)
        second = crawl(self, site, index, CONCURRENT_REQUESTS=16)
        report_speed("ntrex-dev, second crawl", second)
        self.assertEqual(second["kept"], [])
        self.assertEqual(len(second["dropped"]), len(names))


def seed_text(i):
    return "\n".join(seed_lines(SEEDS[i]))


@unittest.skipIf(scrapy is None, "Scrapy is not installed (apt-get install python3-scrapy)")
class Pipeline(unittest.TestCase):
    """DedupPipeline.check on single items, without a crawl."""

    def setUp(self):
        self.folder = tempfile.mkdtemp(prefix="neardup-pipeline-")
        self.addCleanup(shutil.rmtree, self.folder)

    def pipeline(self, **settings):
        crawler = get_crawler(settings_dict={"NEARDUP_INDEX": os.path.join(self.folder, "pages.ndx"), **settings})
        pipeline = neardup.scrapy.DedupPipeline.from_crawler(crawler)
        pipeline.open_spider(None)
        self.addCleanup(pipeline.close_spider, None)
        return pipeline

    def test_no_index_setting_is_not_configured_naming_the_setting(self):
        with self.assertRaisesRegex(NotConfigured, "NEARDUP_INDEX"):
            neardup.scrapy.DedupPipeline.from_crawler(get_crawler(settings_dict={}))

    def test_a_copy_is_dropped_naming_the_original_and_a_new_page_is_added(self):
        p = self.pipeline()
        item = {"url": "a", "text": seed_text(0)}
        self.assertIs(p.check(item), item)
        self.assertNotIn("neardup_translations", item)
        with self.assertRaisesRegex(DropItem, r"^neardup: b is an exact-duplicate of a \(score 1\.000\)$"):
            p.check({"url": "b", "text": seed_text(0)})
        self.assertTrue(p.index.contains("a"))
        self.assertFalse(p.index.contains("b"))
        self.assertEqual(p.stats.get_value("neardup/added"), 1)
        self.assertEqual(p.stats.get_value("neardup/exact-duplicate"), 1)
        self.assertGreater(p.stats.get_value("neardup/seconds"), 0)

    def test_other_fields_and_text_as_a_list_of_pieces(self):
        p = self.pipeline(NEARDUP_TEXT_FIELD="body", NEARDUP_ID_FIELD="key")
        p.check({"key": "a", "body": seed_lines(SEEDS[0])})
        with self.assertRaisesRegex(DropItem, "exact-duplicate of a"):
            p.check({"key": "b", "body": seed_text(0)})

    def test_an_item_without_text_passes_untouched_and_one_without_id_is_dropped(self):
        p = self.pipeline()
        for item in ({"url": "a"}, {"url": "b", "text": None}, {"url": "c", "text": "  \n "}):
            before = dict(item)
            self.assertIs(p.check(item), item)
            self.assertEqual(item, before)
        self.assertEqual(p.stats.get_value("neardup/no_text"), 3)
        self.assertEqual(len(p.index), 0)
        with self.assertRaisesRegex(DropItem, "no 'url'"):
            p.check({"text": seed_text(0)})

    def test_a_changed_page_replaces_its_entry_and_is_kept(self):
        p = self.pipeline()
        p.check({"url": "a", "text": seed_text(0)})
        item = {"url": "a", "text": seed_text(2)}
        self.assertIs(p.check(item), item)
        self.assertEqual(p.stats.get_value("neardup/changed"), 1)
        self.assertEqual([m.id for m in p.index.query(seed_text(2))], ["a"])
        self.assertEqual(p.index.query(seed_text(0)), [])

    def test_a_page_changed_into_a_copy_of_another_is_dropped_naming_it(self):
        p = self.pipeline()
        p.check({"url": "a", "text": seed_text(0)})
        p.check({"url": "b", "text": seed_text(2)})
        with self.assertRaisesRegex(DropItem, r"^neardup: a is an exact-duplicate of b \(score 1\.000\)$"):
            p.check({"url": "a", "text": seed_text(2)})

    def test_translations_are_marked_on_dicts_and_on_items_declaring_the_field(self):
        class Declared(scrapy.Item):
            url = scrapy.Field()
            text = scrapy.Field()
            neardup_translations = scrapy.Field()

        class Undeclared(scrapy.Item):
            url = scrapy.Field()
            text = scrapy.Field()

        a, b = TRANSLATION
        for make in (dict, Declared, Undeclared):
            with self.subTest(item=make.__name__):
                p = neardup.scrapy.DedupPipeline(os.path.join(self.folder, make.__name__ + ".ndx"))
                p.open_spider(None)
                try:
                    p.check(make(url="a", text=seed_text(a)))
                    item = make(url="b", text=seed_text(b))
                    if make is Undeclared:
                        with self.assertLogs("neardup.scrapy", "WARNING") as logged:
                            self.assertIs(p.check(item), item)
                        self.assertIn("neardup_translations = scrapy.Field()", logged.output[0])
                        self.assertNotIn("neardup_translations", item)
                    else:
                        self.assertIs(p.check(item), item)
                        self.assertEqual([t["id"] for t in item["neardup_translations"]], ["a"])
                        self.assertGreater(item["neardup_translations"][0]["score"], 0.5)
                    self.assertTrue(p.index.contains("b"))
                finally:
                    p.close_spider(None)

    def test_with_drop_translations_a_translation_is_dropped(self):
        p = self.pipeline(NEARDUP_DROP_TRANSLATIONS=True)
        a, b = TRANSLATION
        p.check({"url": "a", "text": seed_text(a)})
        with self.assertRaisesRegex(DropItem, r"^neardup: b is a translation of a \(score 0\.\d+\)$"):
            p.check({"url": "b", "text": seed_text(b)})
        self.assertFalse(p.index.contains("b"))

    def test_close_checkpoints_and_releases_the_index(self):
        p = self.pipeline()
        p.check({"url": "a", "text": seed_text(0)})
        p.close_spider(None)
        with neardup.PersistentIndex.open(os.path.join(self.folder, "pages.ndx")) as idx:
            self.assertTrue(idx.contains("a"))
            self.assertEqual(idx.stats().log_records, 0)

    def test_import_neardup_does_not_import_scrapy(self):
        done = subprocess.run([sys.executable, "-c", "import sys, neardup; print('scrapy' in sys.modules)"],
                              capture_output=True, text=True, check=True)
        self.assertEqual(done.stdout.strip(), "False")


if scrapy is not None:
    import neardup.scrapy  # noqa: E402  (after the check: the module needs Scrapy)

if __name__ == "__main__":
    unittest.main()
