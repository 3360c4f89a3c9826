/// Serial, lot and UDI numbers of someone's unit: with their context words.
public enum DeviceSerialRecognizer {
    public static func make() -> ContextualIDRecognizer {
        ContextualIDRecognizer(name: "device_serial", type: .deviceID, context: [
            "serial", "serial number", "serial #", "serial no", "sn", "s/n", "lot", "lot number", "lot #", "lote",
            "udi", "device id", "device serial", "número de serie", "numero de serie", "unit", "units", "backup",
            "device", "machine", "monitor",
        ], minDigits: 4, baseScore: 0.86)
    }
}
