package io.thingport.api.device;

/**
 * How a product's devices are built and connected (Gizwits product creation): its category, communication type,
 * power mode, downlink mode and, for cellular and NB-IoT products, the carrier network. The rules that tie them
 * together (a carrier only for cellular products, PSM/eDRX/DRX only for low-power products) are checked by the
 * {@link ProductService} that stores them, not here.
 *
 * @param category      the id of a category of the built-in catalogue ({@link ProductService#listCategories()});
 *                      {@code null} or blank gives {@link #OTHER}
 * @param communication {@code null} gives {@link CommunicationType#WIFI}
 * @param power         {@code null} gives {@link PowerMode#ALWAYS_ON}
 * @param downlink      {@code null} gives {@link DownlinkMode#ALWAYS_ON}
 * @param carrier       the carrier network (e.g. {@code China Mobile}), or {@code null}; blank gives {@code null}
 * @param queue         how commands wait for a sleepy device (used only when {@code downlink} is sleepy); {@code null}
 *                      gives {@link CommandQueueSettings#DEFAULTS}
 * @param node          whether the devices are gateways that may have sub-devices; {@code null} gives {@link NodeType#DEVICE}
 */
public record ProductOptions(String category, CommunicationType communication, PowerMode power, DownlinkMode downlink,
                             String carrier, CommandQueueSettings queue, NodeType node) {
    /** The category of a product that was given none. */
    public static final String OTHER = "other";
    /** Wi-Fi, always powered, always reachable, category {@code other}: what a product has unless told otherwise. */
    public static final ProductOptions DEFAULTS = new ProductOptions(null, null, null, null, null, null, null);

    public ProductOptions {
        category = category == null || category.isBlank() ? OTHER : category.trim();
        communication = communication == null ? CommunicationType.WIFI : communication;
        power = power == null ? PowerMode.ALWAYS_ON : power;
        downlink = downlink == null ? DownlinkMode.ALWAYS_ON : downlink;
        carrier = carrier == null || carrier.isBlank() ? null : carrier.trim();
        queue = queue == null ? CommandQueueSettings.DEFAULTS : queue;
        node = node == null ? NodeType.DEVICE : node;
    }

    /** With the {@linkplain CommandQueueSettings#DEFAULTS default command queue}, of {@link NodeType#DEVICE devices}. */
    public ProductOptions(String category, CommunicationType communication, PowerMode power, DownlinkMode downlink,
                          String carrier) {
        this(category, communication, power, downlink, carrier, null, null);
    }

    /** Of {@link NodeType#DEVICE devices}. */
    public ProductOptions(String category, CommunicationType communication, PowerMode power, DownlinkMode downlink,
                          String carrier, CommandQueueSettings queue) {
        this(category, communication, power, downlink, carrier, queue, null);
    }

    /** The same options with another command queue. */
    public ProductOptions withQueue(CommandQueueSettings settings) {
        return new ProductOptions(category, communication, power, downlink, carrier, settings, node);
    }

    /** The same options with another node type. */
    public ProductOptions withNode(NodeType type) {
        return new ProductOptions(category, communication, power, downlink, carrier, queue, type);
    }
}
