"""The champions network's pages, split by who they are for: the public, invited champions, champions in their own
space, and IS admins managing the network (manage_*). champions/urls.py routes to the modules directly."""
