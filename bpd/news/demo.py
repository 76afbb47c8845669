"""Demo news posts for development and benchmarks: deterministic, clearly marked as demo."""

import datetime as dt

from django.utils import timezone

from bpd.news.models import Post, Tag

TOPICS = [
    ("Study group: {n}", "A weekly study group on our Discord, session {n}."),
    ("Meetup recap {n}", "What we learnt at local meetup number {n}."),
    ("Member spotlight {n}", "Meet member number {n} and what they are building."),
]
DEMO_LANGUAGES = ["en", "en", "ha", "sw", "fr", "es", "pt", "en"]


def create_demo_posts(count=24):
    """Create up to `count` demo posts (none twice); returns how many were created."""
    demo_tag, _ = Tag.objects.get_or_create(slug="demo", defaults={"name": "demo"})
    start = timezone.now() - dt.timedelta(days=count * 3)
    created = 0
    for n in range(1, count + 1):
        title, summary = TOPICS[n % len(TOPICS)]
        language = DEMO_LANGUAGES[n % len(DEMO_LANGUAGES)]
        slug = f"demo-{n}"
        if Post.objects.filter(language=language, slug=slug).exists():
            continue
        post = Post.objects.create(
            language=language,
            slug=slug,
            translation_key=slug,
            title=title.format(n=n),
            description=summary.format(n=n),
            body=f"{summary.format(n=n)}\n\nThis is demo content for development.",
            author_name="Demo Author",
            published_at=start + dt.timedelta(days=n * 3),
        )
        post.tags.add(demo_tag)
        created += 1
    return created
