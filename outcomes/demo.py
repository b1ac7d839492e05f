from neighbourhoods.demo import register_seeder  # noqa: F401
