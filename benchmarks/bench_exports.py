"""Streamed exports: peak Python memory while the whole cohort's attendance ledger is written,
beside the size of the file it produced. Streaming keeps the peak far below the file size."""

import time

from django.urls import reverse

from agenda.models import Attendance
from benchmarks.support import client_for, peak_memory


def run(world, baseline):
    client = client_for(world.staff)
    url = reverse("agenda:export_attendance", kwargs={"cohort_slug": world.cohort.slug})
    start = time.perf_counter()
    size = sum(len(chunk) for chunk in client.get(url).streaming_content)
    seconds = time.perf_counter() - start
    with peak_memory() as memory:  # measured apart: tracing allocations slows the run down
        sum(len(chunk) for chunk in client.get(url).streaming_content)
    rows = Attendance.objects.filter(session__cohort=world.cohort).count()
    return [
        ("attendance CSV: rows", rows, "rows"),
        ("attendance CSV: file size", size / 1e6, "MB"),
        ("attendance CSV: peak memory while streaming", memory["peak_bytes"] / 1e6, "MB"),
        ("attendance CSV: peak memory ÷ file size", memory["peak_bytes"] / size, "×"),
        ("attendance CSV: time ÷ baseline page", seconds / baseline, "×"),
    ]
