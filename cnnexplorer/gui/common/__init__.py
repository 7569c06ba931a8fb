"""What every panel shares: the live-frame dock, views, workers and the Keras gate."""
