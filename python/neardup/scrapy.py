"""A Scrapy item pipeline that drops pages already seen, as exact or near copies, across crawls.

    # settings.py
    ITEM_PIPELINES = {"neardup.scrapy.DedupPipeline": 300}
    NEARDUP_INDEX = "pages.ndx"            # the index folder (required); created when absent

Each item's text (NEARDUP_TEXT_FIELD, default "text") is checked against neardup.PersistentIndex
at NEARDUP_INDEX, under its id (NEARDUP_ID_FIELD, default "url"):

  - an exact or near duplicate of an indexed page is dropped (scrapy.exceptions.DropItem, whose
    message names that page, the relation and the score); so is a page re-crawled unchanged, as
    an exact duplicate of itself;
  - a new page is added to the index and passed on;
  - a translation of an indexed page is added and passed on with the field neardup_translations
    (NEARDUP_TRANSLATIONS_FIELD) = [{"id": ..., "score": ...}, ...]; a dict item gets the field,
    a scrapy.Item only when its class declares it (neardup_translations = scrapy.Field()), else
    the item passes without it and a warning is logged once. With NEARDUP_DROP_TRANSLATIONS =
    True translations are dropped instead and not added;
  - a page indexed before with another text (a re-crawled URL whose content changed) has its
    entry replaced by the new text, then is judged like a new page against the other pages:
    dropped if it now duplicates one of them, else passed on;
  - an item without text (missing, None or blank) passes through untouched and is not indexed:
    there is nothing to compare; one with text but no id is dropped, since it cannot be indexed;
  - when the spider closes, the index is checkpointed (a fresh snapshot, an empty log) and closed.

Other settings: NEARDUP_LANG_FIELD (default none: the language is detected; else a field holding
it, as the command's --lang-field), NEARDUP_SPEC (the spec of a new index, checked against an
existing one), NEARDUP_SYNC_EVERY_ADD (default True: each add is on disk before the item moves
on; False: at close, faster, a crash may lose the latest pages).

The checks run on one thread of the pipeline's own, in the order items arrive, so that the
reactor keeps downloading while the index prepares a text and syncs its log. One process at a
time may open an index: crawls that share one run one after the other. Counts are in the crawl
stats under neardup/ (added, exact-duplicate, near-duplicate, translation, changed, no_text,
no_id, seconds: the time spent in the pipeline).

Scrapy logs every dropped item at WARNING with the item, text included; a LOG_FORMATTER whose
dropped() returns a shorter message or None quietens that.
"""
import logging
import time

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem, NotConfigured

from . import IdConflictError, PersistentIndex

logger = logging.getLogger(__name__)

DUPLICATE_RELATIONS = ("exact-duplicate", "near-duplicate")


def _describe(page, match):
    article = "an" if match.relation[0] in "aeiou" else "a"
    said = f"neardup: {page} is {article} {match.relation} of {match.id} (score {match.score:.3f})"
    return said + (", already indexed" if match.id == page else "")


def _best(matches):
    return min(matches, key=lambda m: (m.relation != "exact-duplicate", -m.score))


class DedupPipeline:
    """Drops items whose text duplicates a page in a neardup.PersistentIndex; adds the others.

    Configured by from_crawler from the NEARDUP_* settings (see the module's docstring), or
    constructed directly with the same values as keyword arguments."""

    def __init__(self, index_path, *, text_field="text", id_field="url", lang_field=None, drop_translations=False,
                 translations_field="neardup_translations", spec=None, sync_every_add=True, stats=None):
        if not index_path:
            raise NotConfigured("neardup.scrapy.DedupPipeline needs NEARDUP_INDEX, the folder of the index")
        self.index_path = str(index_path)
        self.text_field = text_field
        self.id_field = id_field
        self.lang_field = lang_field
        self.drop_translations = drop_translations
        self.translations_field = translations_field
        self.spec = spec
        self.sync_every_add = sync_every_add
        self.stats = stats
        self.index = None
        self._pool = None
        self._seconds = 0.0
        self._warned_undeclared = False

    @classmethod
    def from_crawler(cls, crawler):
        """The pipeline configured by the crawler's NEARDUP_* settings; NotConfigured without NEARDUP_INDEX."""
        settings = crawler.settings
        return cls(settings.get("NEARDUP_INDEX"),
                   text_field=settings.get("NEARDUP_TEXT_FIELD", "text"),
                   id_field=settings.get("NEARDUP_ID_FIELD", "url"),
                   lang_field=settings.get("NEARDUP_LANG_FIELD") or None,
                   drop_translations=settings.getbool("NEARDUP_DROP_TRANSLATIONS", False),
                   translations_field=settings.get("NEARDUP_TRANSLATIONS_FIELD", "neardup_translations"),
                   spec=settings.get("NEARDUP_SPEC") or None,
                   sync_every_add=settings.getbool("NEARDUP_SYNC_EVERY_ADD", True),
                   stats=crawler.stats)

    def open_spider(self, spider):
        """Opens (or creates) the index; raises neardup.Error when it cannot, e.g. another process has it."""
        self.index = PersistentIndex.open(self.index_path, spec=self.spec, sync_every_add=self.sync_every_add,
                                          skip_translations=self.drop_translations)
        from twisted.python.threadpool import ThreadPool
        # One thread: items are judged in the order they arrive, so the first copy of a page is the one kept.
        self._pool = ThreadPool(minthreads=1, maxthreads=1, name="neardup")
        self._pool.start()
        logger.info("neardup: index %s opened, %d documents", self.index_path, self.index.stats().documents,
                    extra={"spider": spider})

    def close_spider(self, spider):
        """Checkpoints and closes the index (Scrapy calls this once every item is through)."""
        if self._pool is not None:
            self._pool.stop()
            self._pool = None
        if self.index is None:
            return
        try:
            self.index.checkpoint()
            logger.info("neardup: index %s checkpointed, %d documents", self.index_path,
                        self.index.stats().documents, extra={"spider": spider})
        finally:
            self.index.close()
            self.index = None

    def process_item(self, item, spider):
        """A Deferred of check(item), run on the pipeline's thread."""
        # Imported here, not with the module: importing twisted.internet.reactor installs the
        # default reactor, which must not happen before Scrapy installs the one configured.
        from twisted.internet import reactor, threads
        if self._pool is None:
            return self.check(item)
        return threads.deferToThreadPool(reactor, self._pool, self.check, item)

    def check(self, item):
        """The item, added to the index, or DropItem naming the indexed page it duplicates.

        Synchronous (process_item runs it off the reactor); open_spider must have been called."""
        started = time.perf_counter()
        try:
            return self._check(item)
        finally:
            self._seconds += time.perf_counter() - started
            if self.stats is not None:
                self.stats.set_value("neardup/seconds", round(self._seconds, 6))

    def _count(self, what):
        if self.stats is not None:
            self.stats.inc_value(f"neardup/{what}")

    def _check(self, item):
        adapter = ItemAdapter(item)
        text = adapter.get(self.text_field)
        # A field filled with response.css(...).getall() holds the page's pieces of text.
        if isinstance(text, (list, tuple)):
            text = "\n".join(piece for piece in text if isinstance(piece, str))
        if not isinstance(text, str) or not text.strip():
            self._count("no_text")
            return item
        page = adapter.get(self.id_field)
        if page is None or str(page) == "":
            self._count("no_id")
            raise DropItem(f"neardup: the item has text but no {self.id_field!r} (NEARDUP_ID_FIELD) to index it by")
        page = str(page)
        lang = str(adapter.get(self.lang_field) or "") if self.lang_field else ""

        try:
            matches = self.index.add_if_new(page, text, lang).matches
        except IdConflictError:
            # The page changed since it was indexed: the index now holds what it says, and the
            # new text is judged against every other page.
            matches = [m for m in self.index.query(text, lang) if m.id != page]
            self.index.add(page, text, lang)
            self._count("changed")

        duplicates = [m for m in matches if m.relation in DUPLICATE_RELATIONS]
        if duplicates:
            best = _best(duplicates)
            self._count(best.relation)
            raise DropItem(_describe(page, best))
        translations = sorted((m for m in matches if m.relation == "translation"), key=lambda m: -m.score)
        if translations and self.drop_translations:
            self._count("translation")
            raise DropItem(_describe(page, translations[0]))
        if translations:
            self._count("translation")
            self._mark(adapter, [{"id": m.id, "score": m.score} for m in translations])
        self._count("added")
        return item

    def _mark(self, adapter, translations):
        try:
            adapter[self.translations_field] = translations
        except KeyError:
            if not self._warned_undeclared:
                self._warned_undeclared = True
                logger.warning("neardup: %s declares no field %r, so translations are not marked on its items: "
                               "add %s = scrapy.Field() to it", type(adapter.item).__name__, self.translations_field,
                               self.translations_field)
