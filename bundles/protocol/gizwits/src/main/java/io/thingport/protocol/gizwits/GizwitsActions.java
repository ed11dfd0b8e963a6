package io.thingport.protocol.gizwits;

/**
 * The action byte that starts every Gizwits frame (see {@link GizwitsFrames}) and the names of the actions and frames
 * used in error messages and the generated documents.
 */
final class GizwitsActions {
    static final int CONTROL = 0x01;
    static final int READ = 0x02;
    static final int READ_ACK = 0x03;
    static final int REPORT = 0x04;
    static final int TRANSPARENT_DOWN = 0x05;
    static final int TRANSPARENT_UP = 0x06;
    static final int VAR_WRITE = 0x11;
    static final int VAR_READ = 0x12;
    static final int VAR_READ_ACK = 0x13;
    static final int VAR_REPORT = 0x14;

    private GizwitsActions() {
    }

    /** The name of an action for messages and documents, e.g. {@code 0x04 report}. */
    static String actionName(int action) {
        switch (action) {
            case CONTROL:
                return "0x01 control";
            case READ:
                return "0x02 read";
            case READ_ACK:
                return "0x03 read ack";
            case REPORT:
                return "0x04 report";
            case TRANSPARENT_DOWN:
                return "0x05 transparent down";
            case TRANSPARENT_UP:
                return "0x06 transparent up";
            case VAR_WRITE:
                return "0x11 write";
            case VAR_READ:
                return "0x12 read";
            case VAR_READ_ACK:
                return "0x13 read ack";
            case VAR_REPORT:
                return "0x14 report";
            default:
                return String.format("0x%02x (unknown)", action);
        }
    }

    /** The name of a frame in error messages, e.g. {@code fixed-length report}. */
    static String frameName(int action) {
        switch (action) {
            case CONTROL:
                return "fixed-length control";
            case READ:
                return "fixed-length read";
            case READ_ACK:
                return "fixed-length read ack";
            case REPORT:
                return "fixed-length report";
            case VAR_WRITE:
                return "variable-length write";
            case VAR_READ:
                return "variable-length read";
            case VAR_READ_ACK:
                return "variable-length read ack";
            case VAR_REPORT:
                return "variable-length report";
            default:
                return actionName(action);
        }
    }
}
