import json, numpy as np, onnxruntime as ort
specs={'faceres':(224,{'global_pooling/Mean':'global_pooling/Mean','gender_pred/Sigmoid':'gender_pred/Sigmoid:0','age_pred/Softmax':'age_pred/Softmax:0'}),
       'antispoof':(128,{'Identity':'activation_4'}),'liveness':(32,{'Identity':'activation_6'})}
res={}
for name,(size,omap) in specs.items():
    x=np.fromfile(f'/tmp/face/tfjs/{name}.input.bin',dtype=np.float32).reshape(2,size,size,3)
    ref=json.load(open(f'/tmp/face/tfjs/{name}.tfjs.json'))
    s=ort.InferenceSession(f'/tmp/face/out/{name}.onnx')
    outs=s.run(list(omap.values()),{s.get_inputs()[0].name:x})
    md=0.0
    for (k,_),o in zip(omap.items(),outs):
        r=np.array(ref[k]['data'],dtype=np.float32).reshape(o.shape)
        md=max(md,float(np.abs(r-o).max()))
        print(name,k,o.shape,'maxdiff',float(np.abs(r-o).max()),'sample',o.ravel()[:3])
    res[name]=md
json.dump(res,open('/tmp/face/parity.json','w'),indent=1)
print(res)
