/** The revocation store SPI ({@code RevocationStore}), the in-memory store and {@code RevocationCheck}. */
@SuppressWarnings("module") // the modules named below are not on this module's path when it is compiled
module ai.caracal.revocation {
    exports ai.caracal.revocation;
    // Helpers shared by Caracal's own modules (RateLimitedWarning); not API.
    exports ai.caracal.revocation.internal to ai.caracal.verify, ai.caracal.revocation.redis,
            ai.caracal.tokenstate.postgres, ai.caracal.spring;
}
