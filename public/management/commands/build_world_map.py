"""Write public/world-map.json, the funding explorer's small world map, from pygal's map
(``public.map_shapes``); a test fails when the file is not what this command writes."""

from django.core.management.base import BaseCommand

from public import map_shapes


class Command(BaseCommand):
    help = __doc__.splitlines()[0]

    def handle(self, *args, **options):
        shapes = map_shapes.write()
        size = map_shapes.SHAPES_FILE.stat().st_size
        self.stdout.write(f"{len(shapes)} countries, {size:,} bytes: {map_shapes.SHAPES_FILE}")
