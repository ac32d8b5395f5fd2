"""What the classifier raises: one base class, one subclass per kind of trouble."""


class ClassifierError(Exception):
    """Base class of the classifier's own errors."""


class TrainingDataError(ClassifierError):
    """Training or evaluation data that cannot be used; the message says why."""


class ModelFileError(ClassifierError):
    """A model artifact that is corrupt, tampered with, or of another format."""
