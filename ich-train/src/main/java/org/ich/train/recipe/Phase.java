package org.ich.train.recipe;

/** What trains in an epoch: only the head on a frozen backbone, or the whole network. */
public enum Phase {
    HEAD,
    ALL
}
