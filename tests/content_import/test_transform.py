"""Line numbers in the report name the line of the original file, whatever earlier
passes removed or added (issue 17: lines counted from the top of the file)."""

from hypothesis import given, settings
from hypothesis import strategies as st

from bpd.content_import.transform import BodyConverter

plain = st.text(alphabet="abcdefgh ", min_size=0, max_size=12)
# Lines that shrink or grow the text before the tag whose line is checked.
noise = st.sampled_from([
    "{% comment %}\nhidden\nlines\n{% endcomment %}",
    "{% for post in site.posts %}\n<li>{{ post.title }}</li>\n{% endfor %}",
    "{% for x in site.data.unknown %}\n- {{ x }}\n{% endfor %}",
    "<script>\nvar a = 1;\n</script>",
    "{% highlight python %}\nprint(1)\n{% endhighlight %}",
])  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    before=st.lists(st.one_of(plain, noise), max_size=8),
    first_line=st.integers(min_value=2, max_value=40),
)
def test_a_liquid_tag_is_reported_at_its_line_in_the_file(before, first_line):
    body_lines = "\n".join(before).split("\n") if before else []
    tag_line = first_line + len(body_lines)
    body = "\n".join([*body_lines, "{% if site.flag %}", "after"])
    converter = BodyConverter(source="page.md", assets=None, components={"news"})

    converter.convert(body, first_line=first_line, title="T", meta={}, site={}, is_html=False)

    lines = [note.line for note in converter.notes if "{% if site.flag %}" in note.message]
    assert lines == [tag_line]
