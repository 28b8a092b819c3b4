package dev.hookengine;

/**
 * What the caller of an update or delete intends with respect to {@code protected} configs.
 *
 * <p>A config marked {@code protected: true} is typically managed by a deployment tool; changing it
 * by hand is refused unless the caller says, with {@link #MODIFY_PROTECTED}, that it means to.
 */
public enum WriteIntent {
    /** Refuse to change or delete a protected config ({@link ConflictException}). */
    DEFAULT,
    /** Change or delete the config even when it is protected. */
    MODIFY_PROTECTED
}
