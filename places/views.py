"""Views of places; every view is wrapped in neighbourhoods.access.require."""
