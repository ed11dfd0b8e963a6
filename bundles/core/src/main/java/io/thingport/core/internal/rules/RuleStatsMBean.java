package io.thingport.core.internal.rules;

/** A running rule's counters over JMX ({@code io.thingport:type=Rule,name=<id>}); the shell shows the same (iot:rule-metrics). */
public interface RuleStatsMBean {
    long getMatched();

    long getPassed();

    long getFiltered();

    long getFailed();

    double getRateNow();

    double getRateMax();

    double getRate5m();

    long getActionSuccess();

    long getActionFailed();

    long getActionDiscarded();

    long getInFlight();

    /** Events its stream subscription lost by falling too far behind the platform. */
    long getLost();
}
