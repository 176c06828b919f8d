/** The revocation store SPI ({@code RevocationStore}), the in-memory store and {@code RevocationCheck}. */
module ai.caracal.revocation {
    exports ai.caracal.revocation;
}
