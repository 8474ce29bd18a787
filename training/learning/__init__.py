"""E-learning: the module player, certificates, pathways and My learning (the learner's half of training).

The catalogue, levels, case studies and events are the other half, in training/ itself. Models for both stay in
training/models.py.
"""
