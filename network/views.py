"""Views of network; every view is wrapped in neighbourhoods.access.require."""
