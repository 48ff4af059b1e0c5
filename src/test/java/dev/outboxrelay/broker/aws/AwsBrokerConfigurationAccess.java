package dev.outboxrelay.broker.aws;

/** Lets tests of other packages name the package-private configuration. */
public final class AwsBrokerConfigurationAccess {

    public static final Class<?> CONFIGURATION = AwsBrokerConfiguration.class;

    private AwsBrokerConfigurationAccess() {
    }
}
