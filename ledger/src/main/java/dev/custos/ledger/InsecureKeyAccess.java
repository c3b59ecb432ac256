package dev.custos.ledger;

/**
 * The capability to read secret key material as text. Every use is a place where a private key
 * leaves memory, so it is deliberately named to be found with {@code grep InsecureKeyAccess}.
 */
public final class InsecureKeyAccess {

    private static final InsecureKeyAccess INSTANCE = new InsecureKeyAccess();

    private InsecureKeyAccess() {}

    /** Returns the capability; callers MUST only use it to store a key where keys belong. */
    public static InsecureKeyAccess get() {
        return INSTANCE;
    }
}
