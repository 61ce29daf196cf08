// Placeholder: this module is being written (see README module map).
